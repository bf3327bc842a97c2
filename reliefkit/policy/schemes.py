"""Schemes to compare: a name and parameter values set over a policy (``docs/en/schemes.md``).

A scheme file is YAML with two keys::

    name: Rural line 180
    set:
      rural_dibao.line: 180                 # in force for the whole year
      marginal.allowance: {2026-07-01: 30}  # or a {date: value} map

``set`` maps parameter paths of the policy (``reliefkit/policy/baseline.yaml``, or the
region's own policy) to a plain value or to a ``{date: value}`` map; the simulation uses
the value in force on D. An unknown path is an error naming the closest valid ones; a
value of the wrong type, a share outside 0–1 or an unknown cause code is refused. The
baseline itself is the scheme named ``baseline`` with nothing set.

A scheme may name itself in both languages, with ``name_zh`` and ``name_en`` beside
``name``, or with ``name: {zh: …, en: …}`` (then ``name``, the scheme's identifier in
tables and JSON, is the Chinese one, else the English one). :meth:`Scheme.label` gives the
name in a language (the plain ``name`` when that language has none); the baseline is
``现行政策`` in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from reliefkit.errors import PolicyError, SchemeError
from reliefkit.policy.parameters import Policy, read_yaml

__all__ = ["BASELINE_NAME", "BASELINE_LABELS", "Scheme", "baseline_scheme", "load_scheme", "scheme_from_mapping",
           "scheme_label"]

BASELINE_NAME = "baseline"
#: what each language calls the baseline
BASELINE_LABELS = MappingProxyType({"zh": "现行政策", "en": "baseline"})
_LANGS = ("zh", "en")
_SCHEME_KEYS = frozenset({"name", "name_zh", "name_en", "set", "description"})


@dataclass(frozen=True)
class Scheme:
    """A named set of parameter values applied over a policy.

    Attributes
    ----------
    name : str
        How tables and the CLI call it.
    values : Mapping
        Parameter path → plain value or ``{date: value}`` map.
    source : str
        The file it came from (for error messages), or ``"<mapping>"``.
    description : str
        Optional free text.
    names : Mapping
        Language → the scheme's name in it (``name_zh``, ``name_en``; may be empty).

    Examples
    --------
    >>> from reliefkit.policy.parameters import baseline_policy
    >>> s = scheme_from_mapping({"name": "Rural 180", "set": {"rural_dibao.line": 180}})
    >>> s
    Scheme('Rural 180': rural_dibao.line=180)
    >>> s.apply(baseline_policy()).value("rural_dibao.line", "2026-12-31")
    180
    """

    name: str
    values: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    source: str = "<mapping>"
    description: str = ""
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def label(self, lang: str) -> str:
        """The scheme's name in ``lang`` (``zh`` or ``en``): its own name in that language,
        else the plain ``name``.

        Examples
        --------
        >>> s = scheme_from_mapping({"name": "Rural 180", "name_zh": "农村180元", "set": {"rural_dibao.line": 180}})
        >>> s.label("zh"), s.label("en"), baseline_scheme().label("zh")
        ('农村180元', 'Rural 180', '现行政策')
        """
        return scheme_label(self.name, self.names, lang)

    def apply(self, policy: Policy) -> Policy:
        """The policy with this scheme's values set over it.

        Raises
        ------
        SchemeError
            An unknown parameter path (the message names the closest valid ones), a value
            of the wrong type, a share outside 0–1, an unknown cause code.
        """
        if not self.values:
            return policy
        try:
            out = policy.override(self.values, source=self.source)
        except SchemeError:
            raise
        except PolicyError as e:
            raise SchemeError(e.what, e.todo, **{"scheme": repr(self.name), **e.fields}) from None
        for path in self.values:
            _check_range(out[path], self)
        return out

    @property
    def is_baseline(self) -> bool:
        """True for a scheme that sets nothing."""
        return not self.values

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values.items()) or "nothing set"
        return f"Scheme({self.name!r}: {shown})"


def _check_range(param: Any, scheme: Scheme) -> None:
    from reliefkit.io.schema import CAUSES

    for day, value in param.values:
        when = None if day.year == 1 else day.isoformat()
        if param.unit == "share" and not 0 <= value <= 1:
            raise SchemeError(f"share {value!r} is outside 0–1", "write a fraction such as 0.7",
                              file=scheme.source, key=param.path, date=when)
        if param.unit == "codes":
            bad = [c for c in value if c not in CAUSES]
            if bad:
                raise SchemeError(f"unknown cause code(s) {', '.join(map(repr, bad))}",
                                  f"use codes among {', '.join(CAUSES)}", file=scheme.source,
                                  key=param.path, date=when)


def baseline_scheme() -> Scheme:
    """The scheme named ``baseline`` that sets nothing (the policy as it is)."""
    return Scheme(BASELINE_NAME, names=BASELINE_LABELS)


def scheme_label(name: str, names: Mapping[str, str], lang: str) -> str:
    """``names[lang]`` when given, the baseline's word for ``baseline``, else ``name``.

    Examples
    --------
    >>> scheme_label("baseline", {}, "zh"), scheme_label("x", {"en": "X"}, "zh")
    ('现行政策', 'x')
    """
    if names.get(lang):
        return str(names[lang])
    if name == BASELINE_NAME:
        return BASELINE_LABELS.get(lang, name)
    return name


def _text(value: Any) -> str | None:
    """A name as text, or None when it is not one (a bool, an empty string, a mapping)."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or str(value).strip() == "":
        return None
    return str(value).strip()


def _names(data: Mapping, source: str) -> tuple[str | None, dict[str, str]]:
    """The identifier and the per-language names of a scheme file."""
    raw = data.get("name")
    names: dict[str, str] = {}
    if isinstance(raw, Mapping):
        for lang in raw:
            if lang not in _LANGS or _text(raw[lang]) is None:
                raise SchemeError(f"name has {lang!r}", "write name: {zh: 农村标准180元, en: Rural line 180}",
                                  file=source, key="name")
            names[lang] = _text(raw[lang])  # type: ignore[assignment]
        raw = names.get("zh") or names.get("en")
    for lang in _LANGS:
        if f"name_{lang}" in data:
            text = _text(data[f"name_{lang}"])
            if text is None:
                raise SchemeError("is empty or not text", f"write e.g. name_{lang}: …", file=source,
                                  key=f"name_{lang}")
            names[lang] = text
    name = _text(raw)
    if name is None:
        name = names.get("zh") or names.get("en")
    return name, names


def scheme_from_mapping(data: Any, source: str = "<mapping>") -> Scheme:
    """Build a :class:`Scheme` from a parsed scheme file (``{"name": …, "set": {…}}``).

    Raises
    ------
    SchemeError
        When ``data`` is not a mapping, lacks ``name`` or ``set``, has other keys, or
        ``set`` is not a mapping of parameter paths.

    Examples
    --------
    >>> scheme_from_mapping({"name": "x", "sets": {}}, "x.yaml")
    Traceback (most recent call last):
    ...
    reliefkit.errors.SchemeError: file x.yaml, key sets: unknown key — a scheme file has name, set and optionally name_zh, name_en and description
    """
    if not isinstance(data, Mapping):
        raise SchemeError("must be a mapping with 'name' and 'set'",
                          "write e.g. name: Rural line 180 / set: {rural_dibao.line: 180}", file=source)
    for key in data:
        if key not in _SCHEME_KEYS:
            raise SchemeError("unknown key",
                              "a scheme file has name, set and optionally name_zh, name_en and description",
                              file=source, key=key)
    name, names = _names(data, source)
    if name is None:
        raise SchemeError("has no name", "add a line such as `name: Rural line 180`", file=source, key="name")
    if name == BASELINE_NAME:
        raise SchemeError(f"the name '{BASELINE_NAME}' is reserved for the policy as it is",
                          "give the scheme another name", file=source, key="name")
    values = data.get("set")
    if not isinstance(values, Mapping) or not values:
        raise SchemeError("'set' must map parameter paths to values",
                          "write e.g. set: {rural_dibao.line: 180}", file=source, key="set")
    for path in values:
        if not isinstance(path, str):
            raise SchemeError(f"parameter path {path!r} is not text", "write paths like rural_dibao.line",
                              file=source, key="set")
    return Scheme(name, MappingProxyType(dict(values)), source, str(data.get("description") or ""),
                  MappingProxyType(names))


def load_scheme(path: str | Path) -> Scheme:
    """Read a scheme file (YAML: ``name``, ``set``).

    Duplicate keys are refused; every error names the file.

    Parameters
    ----------
    path : path
        The scheme file.

    Returns
    -------
    Scheme
        Its name and the parameter values it sets over a policy.

    Raises
    ------
    SchemeError
        When the file cannot be read or is not a scheme.

    Examples
    --------
    >>> scheme = load_scheme("notebooks/schemes/rural-180.yaml")
    >>> scheme.name
    'Rural line 180'
    """
    try:
        data = read_yaml(Path(path))
    except SchemeError:
        raise
    except PolicyError as e:
        raise SchemeError(e.what, e.todo, **e.fields) from None
    return scheme_from_mapping(data, str(path))
