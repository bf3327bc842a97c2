"""Programme parameters as dated data (YAML), and the loader that reads them.

A policy file is a tree whose leaves are parameters::

    rural_dibao:
      line:
        description: Rural minimum living allowance line
        unit: yuan/person/month
        reference: the notice that set it
        values:
          2025-01-01: 110
          2026-01-01: 150

A parameter is named by its path (``rural_dibao.line``); its value on a day is the one
with the latest effective date on or before that day. The loader rejects unknown and
duplicate keys, and every error names the file, the parameter and the date. The kit's
baseline is ``reliefkit/policy/baseline.yaml``; a region folder's own ``policies/*.yaml``
replace the parameters they define; a scheme (:func:`Policy.override`) sets values over it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from reliefkit._resources import resource
from reliefkit.errors import PolicyError

BASELINE = resource("reliefkit.policy", "baseline.yaml")
LEAF_KEYS = frozenset({"description", "unit", "reference", "values"})
#: area → the parameter of the minimum living allowance line that applies there
LINE_PARAMETERS: dict[str, str] = {"rural": "rural_dibao.line", "urban": "urban_dibao.line"}

#: unit → what a value must be
UNITS: dict[str, type | tuple[type, ...]] = {
    "yuan/person/month": (int, float),
    "yuan/person/year": (int, float),
    "yuan/month": (int, float),
    "yuan/year": (int, float),
    "yuan": (int, float),
    "ratio": (int, float),
    "share": (int, float),
    "months": (int, float),
    "count": int,
    "bool": bool,
    "years": int,
    "grade": int,
    "codes": list,
}


def _date(value: Any, *, file: str, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PolicyError(f"'{value}' is not a date", "write effective dates as YYYY-MM-DD",
                          file=file, key=key) from None


def _check_value(value: Any, unit: str, *, file: str, key: str, date: dt.date | None) -> Any:
    expected = UNITS[unit]
    ok = isinstance(value, expected) and not (bool not in _as_tuple(expected) and isinstance(value, bool))
    if not ok:
        raise PolicyError(
            f"value {value!r} is not a {unit} value", f"write a {' or '.join(t.__name__ for t in _as_tuple(expected))}",
            file=file, key=key, date=date.isoformat() if date else None,
        )
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        raise PolicyError(f"value {value!r} is negative", "policy values are ≥ 0",
                          file=file, key=key, date=date.isoformat() if date else None)
    return value


def _as_tuple(t: type | tuple[type, ...]) -> tuple[type, ...]:
    return t if isinstance(t, tuple) else (t,)


@dataclass(frozen=True)
class Parameter:
    """One policy parameter: its dated values and where they come from.

    Examples
    --------
    >>> p = baseline_policy()["rural_dibao.line"]
    >>> p.at(dt.date(2025, 12, 31)), p.at(dt.date(2026, 1, 1)), p.unit
    (110, 150, 'yuan/person/month')
    """

    path: str
    description: str
    unit: str
    reference: str
    values: tuple[tuple[dt.date, Any], ...]
    file: str = ""

    def at(self, day: dt.date) -> Any:
        """The value in force on ``day``."""
        if isinstance(day, dt.datetime):
            day = day.date()
        found = None
        for start, value in self.values:
            if start <= day:
                found = value
        if found is None:
            first = self.values[0][0].isoformat() if self.values else "never"
            raise PolicyError(
                f"has no value in force (the first is from {first})",
                "add a value effective on or before that date to the policy file",
                file=self.file, key=self.path, date=day.isoformat(),
            )
        return found


@dataclass(frozen=True)
class Policy:
    """A set of parameters, by path. Immutable: :meth:`override` returns a new one.

    Attributes
    ----------
    parameters : mapping of str to Parameter
        Each parameter (``rural_dibao.line`` …) with its dated values, unit and reference.
    sources : tuple of str
        The policy files it was read from, in the order they were applied.

    Examples
    --------
    >>> policy = baseline_policy()
    >>> policy.value("urban_dibao.line", dt.date(2026, 12, 31))
    210
    >>> policy.override({"rural_dibao.line": 180}).value("rural_dibao.line", "2026-06-30")
    180
    """

    parameters: Mapping[str, Parameter]
    sources: tuple[str, ...] = field(default=())

    def __getitem__(self, path: str) -> Parameter:
        try:
            return self.parameters[path]
        except KeyError:
            raise PolicyError(
                "is not a policy parameter",
                f"valid ones near it: {', '.join(self.closest(path)) or ', '.join(sorted(self.parameters))}",
                key=path,
            ) from None

    def __contains__(self, path: object) -> bool:
        return path in self.parameters

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(sorted(self.parameters))

    def closest(self, path: str, n: int = 3) -> list[str]:
        """The parameter paths most like ``path`` (for error messages)."""
        return difflib.get_close_matches(path, list(self.parameters), n=n, cutoff=0.4)

    def value(self, path: str, day: dt.date | str) -> Any:
        """The value of parameter ``path`` in force on ``day``."""
        return self[path].at(day if isinstance(day, dt.date) else dt.date.fromisoformat(day))

    def override(self, values: Mapping[str, Any], source: str = "override") -> Policy:
        """A new policy with ``values`` set over this one.

        Each value is either a plain value (in force at every date) or a
        ``{date: value}`` map (replacing the parameter's dated values). An unknown path
        is an error naming the closest valid ones; a value of the wrong type is refused.
        """
        params = dict(self.parameters)
        for path, value in values.items():
            old = self[path] if path in self.parameters else None
            if old is None:
                raise PolicyError(
                    "is not a policy parameter",
                    f"valid ones near it: {', '.join(self.closest(path)) or ', '.join(self.paths)}",
                    file=source, key=path,
                )
            if isinstance(value, Mapping):
                dated = tuple(sorted(
                    (_date(d, file=source, key=path),
                     _check_value(v, old.unit, file=source, key=path, date=_date(d, file=source, key=path)))
                    for d, v in value.items()
                ))
            else:
                dated = ((dt.date.min, _check_value(value, old.unit, file=source, key=path, date=None)),)
            params[path] = Parameter(path, old.description, old.unit, old.reference, dated, source)
        return Policy(MappingProxyType(params), self.sources + (source,))


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, refusing duplicate keys (which plain YAML silently overwrites)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in out:
                raise PolicyError(
                    f"duplicate key '{key}' (line {key_node.start_mark.line + 1})",
                    "keep one of the two entries", file=str(path),
                )
            out[key] = loader.construct_object(value_node, deep=deep)
        return out

    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PolicyError(f"cannot be read ({type(e).__name__})", "check the path and save it as UTF-8",
                          file=str(path)) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        raise PolicyError(f"is not valid YAML ({str(e).splitlines()[0]})", "fix the YAML syntax",
                          file=str(path)) from None


def parse_policy_tree(tree: Any, file: str, prefix: str = "") -> dict[str, Parameter]:
    """The parameters of a parsed policy file, by path."""
    if not isinstance(tree, Mapping):
        raise PolicyError("must be a mapping of programmes to parameters", "see reliefkit/policy/baseline.yaml",
                          file=file, key=prefix or None)
    out: dict[str, Parameter] = {}
    for name, node in tree.items():
        path = f"{prefix}.{name}" if prefix else str(name)
        if isinstance(node, Mapping) and "values" in node:
            unknown = set(node) - LEAF_KEYS
            if unknown:
                raise PolicyError(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}",
                                  f"a parameter has only {', '.join(sorted(LEAF_KEYS))}", file=file, key=path)
            missing = LEAF_KEYS - set(node)
            if missing:
                raise PolicyError(f"missing {', '.join(sorted(missing))}",
                                  "every parameter states its description, unit, reference and values",
                                  file=file, key=path)
            unit = node["unit"]
            if unit not in UNITS:
                raise PolicyError(f"unknown unit '{unit}'", f"use one of {', '.join(UNITS)}", file=file, key=path)
            if not isinstance(node["values"], Mapping) or not node["values"]:
                raise PolicyError("values must map effective dates to values", "e.g. values: {2026-01-01: 150}",
                                  file=file, key=path)
            dated = []
            for d, v in node["values"].items():
                day = _date(d, file=file, key=path)
                dated.append((day, _check_value(v, unit, file=file, key=path, date=day)))
            out[path] = Parameter(path, str(node["description"]), unit, str(node["reference"]),
                                  tuple(sorted(dated)), file)
        elif isinstance(node, Mapping):
            out.update(parse_policy_tree(node, file, path))
        else:
            raise PolicyError("is neither a parameter (description, unit, reference, values) nor a group",
                              "see reliefkit/policy/baseline.yaml", file=file, key=path)
    return out


def load_policy(*files: str | Path, base: Policy | None = None) -> Policy:
    """Read policy files; each file's parameters replace those of the same path before it.

    Parameters
    ----------
    *files : path
        Policy YAML files, applied in order.
    base : Policy, optional
        The policy they apply over (default: none).

    Returns
    -------
    Policy

    Raises
    ------
    PolicyError
        When a file is malformed: an unknown or duplicate key, a value without a date,
        a parameter without description, unit or reference (the message names the file).

    Examples
    --------
    >>> policy = load_policy(BASELINE)
    >>> policy.value("rural_dibao.line", "2025-06-30"), policy.value("rural_dibao.line", "2026-06-30")
    (110, 150)
    """
    params: dict[str, Parameter] = dict(base.parameters) if base else {}
    sources = base.sources if base else ()
    for f in files:
        params.update(parse_policy_tree(read_yaml(Path(f)), str(f)))
        sources += (str(f),)
    return Policy(MappingProxyType(params), sources)


_BASELINE_CACHE: dict[str, Policy] = {}


def baseline_policy() -> Policy:
    """The kit's baseline policy (``reliefkit/policy/baseline.yaml``), read once.

    Returns
    -------
    Policy

    Examples
    --------
    >>> baseline_policy().sources[0].endswith("baseline.yaml")
    True
    """
    if "b" not in _BASELINE_CACHE:
        _BASELINE_CACHE["b"] = load_policy(BASELINE)
    return _BASELINE_CACHE["b"]


def region_policy(region_dir: str | Path) -> Policy:
    """The baseline with a region folder's own ``policies/*.yaml`` (sorted by name) over it.

    Parameters
    ----------
    region_dir : path
        A region folder; without a ``policies/`` folder the baseline applies.

    Returns
    -------
    Policy

    Raises
    ------
    PolicyError
        When one of the region's policy files is malformed.

    Examples
    --------
    >>> region_policy("data/sample").value("urban_dibao.line", "2026-12-31")
    210
    """
    own = sorted(Path(region_dir, "policies").glob("*.y*ml"))
    return load_policy(*own, base=baseline_policy()) if own else baseline_policy()
