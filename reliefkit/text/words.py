"""Every word the kit prints outside the narrative, per language — one lookup, two files.

Text is data, not Python strings. Two YAML files under ``reliefkit/text/words/`` hold it,
each ``{lang: {group: {key: text}}}``:

- ``labels.yaml`` — code labels printed by charts, tables and publicity lists
  (``program``, ``cause``, ``chart``, ``publicity`` …): :func:`label`, :func:`labels`;
- ``notebooks.yaml`` — the words of the notebooks' tables and charts and of the run's
  index page (``column``, ``title`` …): :func:`word`, :func:`words`;
- ``template.yaml`` — the fill-in registry workbook's sheets and instructions:
  :func:`template_words`;
- ``explain.yaml`` — the words of a household's explanation (``reliefkit explain``):
  :func:`explain_words`;
- ``worklists.yaml`` — the monitored households' list and the pairing suggestions:
  :func:`worklist_words`;
- ``problems.yaml`` — every problem's reason and what to do, and the words of
  ``reliefkit validate`` and its problems workbook: :func:`problem_words`.

Narrative sentences live in the summary templates (``reliefkit/report/templates``).

Examples
--------
>>> label("program", "tekun", "zh"), label("program", "tekun", "en")
('特困供养', 'Special-hardship support')
>>> label("cause", "(none)", "en")
'Not recorded'
>>> word("column", "households", "zh"), word("column", "households", "en")
('户数', 'Households')
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from reliefkit._resources import resource
from reliefkit.errors import ReliefkitError
from reliefkit.text.formatting import _check_lang

__all__ = ["label", "labels", "word", "words", "template_words", "explain_words", "problem_words", "LABELS_FILE",
           "WORDS_FILE", "TEMPLATE_FILE", "EXPLAIN_FILE", "PROBLEMS_FILE", "worklist_words", "WORKLISTS_FILE"]

LABELS_FILE = resource("reliefkit.text", "words", "labels.yaml")
WORDS_FILE = resource("reliefkit.text", "words", "notebooks.yaml")
TEMPLATE_FILE = resource("reliefkit.text", "words", "template.yaml")
PROBLEMS_FILE = resource("reliefkit.text", "words", "problems.yaml")
EXPLAIN_FILE = resource("reliefkit.text", "words", "explain.yaml")
COMPARE_FILE = resource("reliefkit.text", "words", "compare.yaml")


@cache
def _read(path: Path) -> dict[str, Any]:
    """A words file, read once."""
    import yaml

    with Path(path).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _all(path: Path, lang: str) -> dict[str, Any]:
    return _read(path)[_check_lang(lang)]


def _lookup(path: Path, group: str, key: str, lang: str, what: str) -> str:
    """The text of ``key`` in ``group``; a missing one is an error that says where to add it."""
    try:
        return str(_all(path, lang)[group][key])
    except KeyError:
        raise ReliefkitError(f"has no {lang} {what}", f"add it under {lang}.{group} in {path}",
                             key=f"{group}.{key}") from None


def labels(lang: str) -> dict[str, Any]:
    """Every label of one language: ``{"program": {...}, "cause": {...}, "month": [...], ...}``.

    Parameters
    ----------
    lang : {"zh", "en"}

    Returns
    -------
    dict
        The groups of ``labels.yaml`` for that language.
    """
    return _all(LABELS_FILE, lang)


def label(group: str, code: str, lang: str) -> str:
    """The label of ``code`` in ``group`` (``program``, ``cause``, ``chart``, ``publicity``).

    Parameters
    ----------
    group, code : str
        Where to look in ``labels.yaml``.
    lang : {"zh", "en"}

    Returns
    -------
    str

    Raises
    ------
    ReliefkitError
        When the label is missing from labels.yaml (the message says where to add it).
    """
    return _lookup(LABELS_FILE, group, code, lang, "label")


def words(lang: str) -> dict[str, Any]:
    """Every word of one language, by group (``notebooks.yaml``)."""
    return _all(WORDS_FILE, lang)


def word(group: str, key: str, lang: str) -> str:
    """One word of ``notebooks.yaml``.

    Raises
    ------
    ReliefkitError
        When the word is missing (the message says where to add it).
    """
    return _lookup(WORDS_FILE, group, key, lang, "word")


def template_words(lang: str) -> dict[str, Any]:
    """The words of the fill-in registry workbook in one language (``template.yaml``).

    Parameters
    ----------
    lang : {"zh", "en"}

    Returns
    -------
    dict

    Raises
    ------
    ReliefkitError
        For a language the kit has no words in.

    Examples
    --------
    >>> template_words("zh")["sheets"]["persons"]
    '家庭成员'
    """
    return _all(TEMPLATE_FILE, lang)


def explain_words(lang: str) -> dict[str, Any]:
    """The words of a household's explanation in one language (``explain.yaml``).

    Parameters
    ----------
    lang : {"zh", "en"}

    Returns
    -------
    dict

    Raises
    ------
    ReliefkitError
        For a language the kit has no words in.

    Examples
    --------
    >>> explain_words("zh")["relation"]["head"], explain_words("en")["relation"]["head"]
    ('户主', 'head')
    """
    return _all(EXPLAIN_FILE, lang)


def problem_words(lang: str) -> dict[str, Any]:
    """The words of the problems table in one language (``problems.yaml``): ``reason`` (the
    short name of each reason code), ``message`` (what is wrong and what to do), ``detail``
    (zh: the readers' English details in Chinese) and ``words`` (the validate report and
    the problems workbook).

    Parameters
    ----------
    lang : {"zh", "en"}

    Returns
    -------
    dict

    Raises
    ------
    ReliefkitError
        For a language the kit has no words in.

    Examples
    --------
    >>> problem_words("zh")["reason"]["invalid_check_digit"]
    '身份证号校验位不对'
    """
    return _all(PROBLEMS_FILE, lang)


def compare_word(group: str, key: str, lang: str) -> str:
    """One word of the scheme comparison (``compare.yaml``: its tables, bands, notes and
    charts — ``reliefkit compare`` and notebook 02).

    Parameters
    ----------
    group, key : str
        Where to look in ``compare.yaml``.
    lang : {"zh", "en"}

    Returns
    -------
    str

    Raises
    ------
    ReliefkitError
        When the word is missing (the message says where to add it).

    Examples
    --------
    >>> compare_word("band", "unchanged", "zh"), compare_word("band", "unchanged", "en")
    ('不变', 'unchanged')
    """
    return _lookup(COMPARE_FILE, group, key, lang, "comparison word")


WORKLISTS_FILE = resource("reliefkit.text", "words", "worklists.yaml")


def worklist_words(lang: str) -> dict[str, Any]:
    """The words of the two work lists (``worklists.yaml``): ``monitoring`` (the monitored
    households) and ``pairing`` (the pairing suggestions).

    Parameters
    ----------
    lang : {"zh", "en"}

    Returns
    -------
    dict

    Raises
    ------
    ReliefkitError
        For a language the kit has no words in.

    Examples
    --------
    >>> worklist_words("zh")["monitoring"]["category"]["edge"]
    '边缘易致贫户'
    """
    return _all(WORKLISTS_FILE, lang)
