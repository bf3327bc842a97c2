"""Used by every layer that writes; imports nothing above it.

``safeio`` escaped, atomic, deterministic writers and small-cell suppression;
``privacy`` the privacy gate over output folders.
"""
