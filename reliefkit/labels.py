"""Words printed by charts, tables and publicity lists, per language.

They live in ``reliefkit/templates/labels.yaml`` (text is data, not Python strings);
narrative sentences live in the summary templates.

Examples
--------
>>> label("program", "tekun", "zh"), label("program", "tekun", "en")
('特困供养', 'Special-hardship support')
>>> label("cause", "(none)", "en")
'Not recorded'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .errors import ReliefkitError
from .formatting import _check_lang

__all__ = ["labels", "label", "LABELS_FILE"]

LABELS_FILE = Path(__file__).with_name("templates") / "labels.yaml"


@cache
def _all() -> dict[str, Any]:
    import yaml

    with LABELS_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def labels(lang: str) -> dict[str, Any]:
    """Every label of one language: ``{"program": {...}, "cause": {...}, "month": [...], ...}``."""
    return _all()[_check_lang(lang)]


def label(group: str, code: str, lang: str) -> str:
    """The label of ``code`` in ``group`` (``program``, ``cause``, ``chart``, ``publicity``).

    Raises
    ------
    ReliefkitError
        When the label is missing from labels.yaml.
    """
    try:
        return str(labels(lang)[group][code])
    except KeyError:
        raise ReliefkitError(f"has no {lang} label", f"add it under {lang}.{group} in {LABELS_FILE}",
                             key=f"{group}.{code}") from None
