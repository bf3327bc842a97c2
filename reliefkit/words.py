"""Words that the notebooks' tables and charts and the run's index page print, per language.

They live in ``reliefkit/templates/notebooks.yaml`` (text is data, not Python strings);
programme and cause names come from :mod:`reliefkit.labels`.

Examples
--------
>>> word("column", "households", "zh"), word("column", "households", "en")
('户数', 'Households')
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .errors import ReliefkitError
from .formatting import _check_lang

__all__ = ["words", "word", "WORDS_FILE"]

WORDS_FILE = Path(__file__).with_name("templates") / "notebooks.yaml"


@cache
def _all() -> dict[str, Any]:
    import yaml

    with WORDS_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def words(lang: str) -> dict[str, Any]:
    """Every word of one language, by group."""
    return _all()[_check_lang(lang)]


def word(group: str, key: str, lang: str) -> str:
    """One word; a missing one is an error that says where to add it."""
    try:
        return str(words(lang)[group][key])
    except KeyError:
        raise ReliefkitError(f"has no {lang} word", f"add it under {lang}.{group} in {WORDS_FILE}",
                             key=f"{group}.{key}") from None
