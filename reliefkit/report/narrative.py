"""The narrative year-end summary: figures → Markdown text, through one template per
language (``reliefkit/report/templates/summary.<lang>.md.j2``).

The structure follows the county summaries in ``shared/seeds/``: overview; policy
guarantee; special assistance; social assistance; achievements and problems;
suggestions; and an appendix listing every figure the text used with its key.

Tracing. Templates print a figure only as ``{{ f("key") }}`` (or ``f.bare``, ``f.n``):
the value comes from the figures dict and is formatted by :class:`reliefkit.text.formatting.
Formatter`; no number is ever written into a template. Rendering marks each printed
figure with its key, so that :class:`Rendered` knows which sentence states which
figures (tests use this to prove that changing the data changes every affected
sentence) before the marks are stripped.

Choices. Sections and sentences about a programme that the data does not have at all
(:func:`reliefkit.report.summary_figures.programmes_present`) are left out; a programme that is
there but had no one this year gets a "none this year" sentence. Achievements,
problems and suggestions are chosen by the explicit rules of
``reliefkit/report/templates/rules.yaml`` (:func:`fired_rules`).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reliefkit._resources import resource
from reliefkit.errors import ReliefkitError
from reliefkit.report.summary_figures import figure_kind, figure_label
from reliefkit.text.formatting import Formatter, _check_lang

__all__ = ["Rule", "Rendered", "load_rules", "fired_rules", "render_summary", "TEMPLATES", "RULES_FILE"]

TEMPLATES = resource("reliefkit.report", "templates")
RULES_FILE = TEMPLATES / "rules.yaml"
SECTIONS = ("achievements", "problems", "suggestions")
_OPS = {"<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
        ">=": operator.ge, ">": operator.gt}

# marks around a printed figure while rendering: OPEN key SEP text CLOSE
_OPEN, _SEP, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARK = re.compile(f"{_OPEN}([^{_SEP}]*){_SEP}([^{_CLOSE}]*){_CLOSE}")
_BLOCK_START = ("#", "- ", "|", "![")


# --------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class Rule:
    """A sentence chosen from figures: it fires when every condition holds.

    Attributes
    ----------
    id : str
        The name of its text in the templates.
    section : {"achievements", "problems", "suggestions"}
    when : tuple of (key, operator, number or key)

    Examples
    --------
    >>> r = Rule("unpaired", "problems", (("pairing.unpaired_needy", ">", 0),))
    >>> r.fires({"pairing.unpaired_needy": 2}), r.fires({"pairing.unpaired_needy": 0}), r.fires({})
    (True, False, False)
    """

    id: str
    section: str
    when: tuple[tuple[str, str, float | str], ...] = ()

    def fires(self, figures: Mapping[str, Any]) -> bool:
        """Whether every condition holds; a missing figure means the rule does not fire."""
        for key, op, other in self.when:
            if key not in figures:
                return False
            if isinstance(other, str):
                if other not in figures:
                    return False
                other = figures[other]
            if not _OPS[op](figures[key], other):
                return False
        return True


@cache
def _rules_cached(path: str) -> tuple[Rule, ...]:
    import yaml

    file = Path(path)
    with file.open(encoding="utf-8") as fh:
        tree = yaml.safe_load(fh) or {}
    out, seen = [], set()
    for i, item in enumerate(tree.get("rules", [])):
        where = dict(file=str(file), rule=item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}")
        if not isinstance(item, dict) or set(item) - {"id", "section", "when"} or "id" not in item:
            raise ReliefkitError("is not a rule of id, section and when", "fix the rules file", **where)
        if item["id"] in seen:
            raise ReliefkitError("is defined twice", "give every rule its own id", **where)
        seen.add(item["id"])
        if item.get("section") not in SECTIONS:
            raise ReliefkitError(f"has section {item.get('section')!r}", f"use one of: {', '.join(SECTIONS)}", **where)
        when = []
        for cond in item.get("when") or []:
            if not (isinstance(cond, list) and len(cond) == 3 and cond[1] in _OPS and isinstance(cond[0], str)):
                raise ReliefkitError(f"has a malformed condition {cond!r}",
                                     f"write [figure key, operator ({' '.join(_OPS)}), number or key]", **where)
            when.append((cond[0], cond[1], cond[2]))
        out.append(Rule(item["id"], item["section"], tuple(when)))
    return tuple(out)


def load_rules(path: str | Path = RULES_FILE) -> tuple[Rule, ...]:
    """The rules of a rules file (default: the kit's ``report/templates/rules.yaml``).

    Examples
    --------
    >>> any(r.id == "unpaired" for r in load_rules())
    True
    """
    return _rules_cached(str(Path(path).resolve()))


def fired_rules(figures: Mapping[str, Any], rules: tuple[Rule, ...] | None = None) -> dict[str, list[str]]:
    """The ids of the rules that fire, by section, in the rules file's order.

    Examples
    --------
    >>> fired_rules({"pairing.unpaired_needy": 3})["problems"]
    ['unpaired']
    """
    out: dict[str, list[str]] = {s: [] for s in SECTIONS}
    for rule in load_rules() if rules is None else rules:
        if rule.fires(figures):
            out[rule.section].append(rule.id)
    return out


# --------------------------------------------------------------------------- figures in templates
class _Figures:
    """The ``f`` of a template: prints a figure through the formatter and records it."""

    def __init__(self, values: Mapping[str, Any], formatter: Formatter) -> None:
        self._values = values
        self._fmt = formatter
        self.used: dict[str, Any] = {}

    def _get(self, key: str) -> Any:
        if key not in self._values:
            raise ReliefkitError("is not a figure of this summary",
                                 "guard the sentence with f.has(key) in the template", key=key)
        return self._values[key]

    def text(self, key: str, unit: bool = True) -> str:
        """The figure as printed, without recording it (the appendix)."""
        return self._fmt.format(self._get(key), figure_kind(key), unit=unit)

    def _mark(self, key: str, text: str) -> str:
        self.used.setdefault(key, self._values[key])
        return f"{_OPEN}{key}{_SEP}{text}{_CLOSE}"

    def __call__(self, key: str) -> str:
        """The figure with its unit: ``36,400 yuan`` / ``36400元``."""
        return self._mark(key, self.text(key))

    def bare(self, key: str) -> str:
        """The figure without its money unit: ``from 110 to 150 yuan``."""
        return self._mark(key, self.text(key, unit=False))

    def magnitude(self, key: str) -> str:
        """The figure without its sign: a change of ``-0.137`` reads ``13.7%`` after
        「减少」 / ``down``."""
        value = self._get(key)
        return self._mark(key, self._fmt.format(abs(value), figure_kind(key)))

    def n(self, key: str, one: str, many: str | None = None) -> str:
        """A count with its word: ``106 persons``, ``1 household`` (en), ``106人`` (zh)."""
        value = self._get(key)
        return self._mark(key, self._fmt.quantity(value, one, many))

    def plural(self, key: str, one: str, many: str | None = None) -> str:
        """Only the word for the figure's count (``is`` / ``are``, ``person`` / ``persons``)."""
        return self._fmt.plural(self._get(key), one, many)

    def v(self, key: str) -> Any:
        """The raw value, for conditions (not printed, not recorded)."""
        return self._get(key)

    def has(self, *keys: str) -> bool:
        """Whether every key is a figure of this summary."""
        return all(k in self._values for k in keys)

    def appendix(self) -> list[tuple[str, str, str]]:
        """``(key, as printed, exact value)`` of every figure used so far, in order."""
        return [(k, self.text(k), _exact(v)) for k, v in self.used.items()]


def _exact(value: Any) -> str:
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


def _capitalize_first(text: str) -> str:
    """Upper-case the first letter of the text as printed (marks skipped)."""
    i = text.index(_SEP) + 1 if text.startswith(_OPEN) else 0
    return text[:i] + text[i:i + 1].upper() + text[i + 1:]


def _raise_missing(rule_id: str) -> str:
    raise ReliefkitError("has no text in the template", "add a branch for it in summary.<lang>.md.j2",
                         rule=rule_id)


@cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False,
        extensions=["jinja2.ext.do"],
    )
    env.globals["missing_rule_text"] = _raise_missing
    env.filters["capitalize_first"] = _capitalize_first
    return env


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class Rendered:
    """A rendered summary.

    Attributes
    ----------
    markdown : str
        The text (Markdown), appendix included.
    figures : Mapping[str, int | float]
        Every figure the text states, in order of first use (the appendix).
    sentences : tuple of (str, frozenset of str)
        Each sentence of the body (headings, paragraphs, list items, table rows split at
        sentence ends) and the keys of the figures it states.
    lang : str
    """

    markdown: str
    figures: Mapping[str, int | float]
    sentences: tuple[tuple[str, frozenset[str]], ...]
    lang: str

    @property
    def body(self) -> str:
        """The text without the appendix."""
        return self.markdown.split(_APPENDIX_MARK, 1)[0].rstrip() + "\n"

    def __repr__(self) -> str:
        first = self.markdown.splitlines()[0] if self.markdown else ""
        return f"<Rendered {self.lang} {first!r}: {len(self.figures)} figures, {len(self.sentences)} sentences>"


_APPENDIX_MARK = "<!-- appendix -->"


def _tidy(text: str, lang: str) -> str:
    """Join the lines of each paragraph or list item into one line (no space between
    Chinese lines), drop trailing spaces and extra blank lines."""
    sep = "" if lang == "zh" else " "
    out: list[str] = []
    cont = False  # the previous line can take a continuation
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if out and out[-1] != "":
                out.append("")
            cont = False
            continue
        starts_block = line.startswith(_BLOCK_START) or line.startswith("<!--")
        if cont and not starts_block:
            out[-1] = out[-1] + sep + line
        else:
            out.append(line)
        cont = not line.startswith(("#", "|", "![", "<!--"))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _sentences(marked: str, lang: str) -> tuple[tuple[str, frozenset[str]], ...]:
    body = marked.split(_APPENDIX_MARK, 1)[0]
    splitter = re.compile(r"(?<=[。；！？])" if lang == "zh" else r"(?<=[.;!?])\s+")
    out = []
    for line in body.splitlines():
        if not line.strip():
            continue
        for part in splitter.split(line):
            if part.strip():
                keys = frozenset(m.group(1) for m in _MARK.finditer(part))
                out.append((_MARK.sub(r"\2", part).strip(), keys))
    return tuple(out)


def render_summary(figures: Mapping[str, int | float], lang: str = "zh", *, scope: str = "",
                   is_region: bool = True, present: frozenset[str] | set[str] = frozenset(),
                   rules: tuple[Rule, ...] | None = None, charts: Mapping[str, str] | None = None,
                   region_name: str = "") -> Rendered:
    """Render the summary of ``figures`` in ``lang``.

    Parameters
    ----------
    figures : mapping
        :func:`reliefkit.report.summary_figures.summary_figures` (any superset works).
    lang : {"zh", "en"}
    scope : str
        The name the text gives the region or district.
    is_region : bool
        Whether the scope is a whole region (its text says "districts") or one district.
    present : set of str
        The programmes the data has (:func:`reliefkit.report.summary_figures.programmes_present`).
    rules : tuple of Rule, optional
        Default: :func:`load_rules`.
    charts : mapping, optional
        Chart name → image path, to place in the text (``![title](path)``).
    region_name : str, optional
        What the text calls the whole region, for the figures of the region a district's
        summary states (the pairing suggestion); default ``scope``.

    Returns
    -------
    Rendered
        The Markdown (appendix included), every figure it states and each sentence's keys.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.report.summary_figures import summary_figures, programmes_present
    >>> region = load_region("data/sample")
    >>> r = render_summary(summary_figures(region, 2026), "en", scope=region.display_name("en"),
    ...                    present=programmes_present(region))
    >>> "833 persons in 671 households" in r.markdown
    True
    """
    lang = _check_lang(lang)
    f = _Figures(figures, Formatter(lang))
    template = _environment().get_template(f"summary.{lang}.md.j2")
    marked = template.render(
        f=f, scope=scope, is_region=is_region, present=frozenset(present),
        fired=fired_rules(figures, rules), charts=dict(charts or {}), appendix_mark=_APPENDIX_MARK,
        region_name=region_name or scope,
        label=lambda key: figure_label(key, lang),
    )
    marked = _tidy(marked, lang)
    return Rendered(markdown=_MARK.sub(r"\2", marked), figures=MappingProxyType(dict(f.used)),
                    sentences=_sentences(marked, lang), lang=lang)
