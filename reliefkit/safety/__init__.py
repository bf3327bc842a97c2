"""Used by every layer that writes; imports nothing above it.

``escaping`` formula injection in spreadsheets; ``atomic`` atomic writes with clear errors;
``determinism`` fixed document times and normalized Office zips; ``writers`` CSV and XLSX
through all three; ``disclosure`` small-cell suppression for publication; ``privacy`` the
privacy gate over output folders.
"""
