"""Words that the notebooks' tables and charts and the run's index page print, per language.

They live in ``reliefkit/report/templates/notebooks.yaml`` (text is data, not Python strings);
programme and cause names come from :mod:`reliefkit.text.labels`.

Examples
--------
>>> word("column", "households", "zh"), word("column", "households", "en")
('户数', 'Households')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reliefkit._resources import resource
from reliefkit.text.formatting import _check_lang
from reliefkit.text.labels import lookup, read_words

__all__ = ["words", "word", "WORDS_FILE"]

WORDS_FILE = resource("reliefkit.text", "words", "notebooks.yaml")


def words(lang: str) -> dict[str, Any]:
    """Every word of one language, by group."""
    return read_words(WORDS_FILE)[_check_lang(lang)]


def word(group: str, key: str, lang: str) -> str:
    """One word; a missing one is an error that says where to add it."""
    return lookup(WORDS_FILE, group, key, lang, "word")
