"""What each figure of a summary means, in one line: the DOCX appendix (附件) prints it
beside the key.

The words live in ``reliefkit/report/templates/figures.yaml``, one per key with the
placeholders of ``docs/zh/facts.md`` (``P`` a standing programme, ``Q`` a programme counted
by payments, ``T`` a helper's unit type, ``G`` a pairing group, ``C`` a monitoring class);
``previous.<key>`` and ``change.<key>`` are described through the key they wrap.

Examples
--------
>>> describe("rural_dibao.persons", "zh")
'12月31日存活、且当日有有效农村低保纳入记录的人数（不重复计人）'
>>> describe("previous.temporary.amount", "en")
'amount paid for temporary assistance in the year (yuan), the year before'
>>> describe("no.such.key", "zh")
''
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from reliefkit._resources import resource
from reliefkit.io.schema import ONE_OFF_PROGRAMS, STANDING_PROGRAMS
from reliefkit.text.formatting import _check_lang
from reliefkit.text.words import label

__all__ = ["FIGURES_FILE", "describe", "figure_words"]

FIGURES_FILE = resource("reliefkit.report", "templates", "figures.yaml")
#: key segment → (placeholder, group of the words that names it)
_GROUPS = {"unit_type": "T", "group": "G", "class": "C"}
#: a unit at the end of a description: ``（元）``, `` (yuan)``
_UNIT = re.compile(r"\s*[（(](元|yuan)[）)]$")


@cache
def _read() -> dict[str, Any]:
    import yaml

    with FIGURES_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def figure_words(lang: str) -> dict[str, Any]:
    """The words of ``figures.yaml`` in one language (``key``, ``wrap``, ``group`` …)."""
    return _read()[_check_lang(lang)]


def _patterns(key: str, words: dict[str, Any], lang: str) -> list[tuple[str, dict[str, str]]]:
    """The key with each code segment replaced by its placeholder (and the label it
    stands for), most specific first: the key itself, then with placeholders."""
    parts = key.split(".")
    out = [(key, {})]
    for i, part in enumerate(parts):
        if part in STANDING_PROGRAMS or part in ONE_OFF_PROGRAMS:
            holder = "P" if part in STANDING_PROGRAMS else "Q"
            name = label("program", part, lang)
            name = name[:1].lower() + name[1:] if lang == "en" else name
            out.append((".".join([*parts[:i], holder, *parts[i + 1:]]), {"program": name}))
        for group, holder in _GROUPS.items():
            if part in words.get(group, {}):
                out.append((".".join([*parts[:i], holder, *parts[i + 1:]]), {group: str(words[group][part])}))
    return out


def describe(key: str, lang: str = "zh") -> str:
    """What the figure ``key`` means, in one line; ``""`` for a key the words do not describe.

    Parameters
    ----------
    key : str
        A key of :func:`reliefkit.report.summary_figures.summary_figures` (facts included).
    lang : {"zh", "en"}

    Returns
    -------
    str
    """
    words = figure_words(lang)
    for prefix in ("previous", "change"):
        if key.startswith(prefix + "."):
            inner = describe(key[len(prefix) + 1:], lang)
            if prefix == "change":  # a relative change has no unit
                inner = _UNIT.sub("", inner)
            return words["wrap"][prefix].format(text=inner) if inner else ""
    for pattern, names in _patterns(key, words, lang):
        text = words["key"].get(pattern)
        if text is not None:
            return str(text).format(**names) if names else str(text)
    return ""
