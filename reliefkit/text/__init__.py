"""Text helpers at the bottom of the flow.

``formatting`` the one number formatter per language; ``words`` and ``labels`` the
words and code labels (``words/*.yaml``); ``idnumbers`` resident ID numbers (GB 11643)
and the one masking pattern.
"""
