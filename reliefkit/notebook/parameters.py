"""Check the parameters injected into a notebook, and load what they name.

The first code cell of every notebook in ``notebooks/`` is tagged ``parameters``; papermill
(or ``reliefkit run``) injects new values after it, and the next cell hands them all to
:func:`check_parameters`, which returns a :class:`NotebookParameters` with the region
already loaded (read once per kernel) or raises one readable error:

- ``year`` is an integer (``2026`` or ``"2026"``); anything else is a :class:`ParameterError`;
- ``district`` is None (the whole region) or one of the region's districts; an unknown
  name raises :class:`~reliefkit.errors.UnknownDistrictError`, which lists the known ones.
  Names stay text: ``"007"`` is the district ``007``. ``papermill -p district 007`` turns
  the value into the integer 7, which matches the one district whose name is all digits
  and equal to 7 (``papermill -r district 007`` keeps the text as it is);
- ``lang`` is ``zh`` or ``en``;
- ``schemes`` is a list of scheme files, or the same list written as text
  (``'["a.yaml", "b.yaml"]'``, which is how ``papermill -p schemes`` delivers it), or
  one path; every file is loaded, so a bad one fails here;
- paths: an absolute path is used as it is; a relative input path (``region_dir``,
  ``schemes``) is looked up from the working directory first, then from the repository
  root (the folder holding ``notebooks/`` and ``data/``) — so ``data/sample`` works
  whether papermill started in the repository, in ``notebooks/`` or anywhere else; a
  relative ``output_dir`` is taken from the working directory (``reliefkit run`` injects
  ``output_dir="."`` and ``region_dir="../.store"``, the run's store, with the job's
  folder as the kernel's working directory, so that no output holds the machine's paths);
- ``region_dir`` names a region folder or a store of one (:mod:`reliefkit.store`, read
  without validating again).

Examples
--------
>>> p = check_parameters(region_dir="data/sample", year="2026", district=None, lang="en")
>>> p
NotebookParameters(region '青山区' (data/sample), year 2026, the whole region, lang en, no output files)
>>> p.scope.scope is None, len(p.region.districts)
(True, 6)
>>> check_parameters(region_dir="data/sample", year=2026.5)
Traceback (most recent call last):
...
reliefkit.errors.ParameterError: parameter year: must be an integer year such as 2026, not 2026.5 (float) — inject e.g. -p year 2026
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reliefkit._resources import repo_root
from reliefkit.errors import ParameterError, UnknownDistrictError

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.policy.schemes import Scheme
    from reliefkit.region.region import Region

__all__ = ["ParameterError", "NotebookParameters", "check_parameters", "resolve_input",
           "resolve_output", "scheme_paths", "PARAMETERS", "LANGS"]

#: every parameter a notebook of the kit may declare, and what it holds
PARAMETERS = {
    "region_dir": "region folder (docs/en/region-folder.md), or a store of one (reliefkit prepare)",
    "year": "the year of the figures: D = 31 December",
    "district": "one district; None = the whole region",
    "lang": "zh or en",
    "schemes": "scheme files to compare with the baseline",
    "output_dir": "folder for the files a notebook writes; None = write none",
    "budget": "yearly minimum-living budget in yuan; None = what the ledger paid in the year",
    "name": "what the summary calls the scope; None = the district's or region folder's name",
}
LANGS = ("zh", "en")


def _text_path(name: str, value: Any) -> str:
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(f"must be a path, not {value!r} ({type(value).__name__})",
                             f"inject e.g. -p {name} data/sample", parameter=name)
    return value.strip()


def resolve_input(name: str, value: Any) -> Path:
    """An existing input path: absolute as it is, relative from the working directory,
    else from the repository root.

    Raises
    ------
    ParameterError
        When the path exists in neither place; the message names both.
    """
    text = _text_path(name, value)
    path = Path(text).expanduser()
    if path.is_absolute():
        candidates = [path]
    else:
        candidates = [Path.cwd() / path]
        root = repo_root()
        if root is not None and root.resolve() != Path.cwd().resolve():
            candidates.append(root / path)
    for c in candidates:
        if c.exists():
            return c.resolve()
    raise ParameterError(f"{text!r} does not exist (looked in {', '.join(str(c.parent) for c in candidates)})",
                         "give an absolute path, or one relative to the repository", parameter=name)


def resolve_output(name: str, value: Any) -> Path | None:
    """An output folder (None stays None); relative to the working directory."""
    if value is None:
        return None
    return Path(_text_path(name, value)).expanduser().resolve()


def _year(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"must be an integer year such as 2026, not {value!r} ({type(value).__name__})",
                             "inject e.g. -p year 2026", parameter="year")
    if not 1900 <= value <= 2200:
        raise ParameterError(f"{value} is not a plausible year", "inject e.g. -p year 2026", parameter="year")
    return value


def _lang(value: Any) -> str:
    if value not in LANGS:
        raise ParameterError(f"must be one of {', '.join(LANGS)}, not {value!r}", "inject e.g. -p lang zh",
                             parameter="lang")
    return str(value)


def _district(value: Any, region: Region) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        # papermill -p district 007 delivers the integer 7: match a district named by digits
        digits = [d for d in region.districts if d.isdigit() and int(d) == value]
        if len(digits) == 1:
            return digits[0]
        raise UnknownDistrictError(
            f"is not a district of region '{region.name}' (papermill -p turned the name into a number; "
            "pass it with -r district NAME to keep it as text)",
            f"use one of: {', '.join(region.districts)}", district=repr(value))
    if not isinstance(value, str):
        raise ParameterError(f"must be a district name (text) or None, not {value!r} ({type(value).__name__})",
                             f"use one of: {', '.join(region.districts)}", parameter="district")
    return region.district(value).scope  # UnknownDistrictError lists the known ones


def _load(region_dir: Path, district: Any) -> Region:
    """The region a notebook works on. From a store (what ``reliefkit run`` gives its
    notebooks), a district's notebook reads only that district's rows, so its time grows
    with the district, not the region; from a folder, the whole region is validated."""
    from reliefkit.region.region import load_region
    from reliefkit.store.build import is_store, read_meta

    if district is None or not is_store(region_dir):
        return load_region(region_dir)
    if isinstance(district, int) and not isinstance(district, bool):  # papermill -p district 007 gives 7
        digits = [d for d in read_meta(region_dir)["districts"] if d.isdigit() and int(d) == district]
        if len(digits) != 1:
            return load_region(region_dir)  # _district explains what is wrong with the number
        district = digits[0]
    if not isinstance(district, str):
        return load_region(region_dir)  # _district explains what is wrong with the value
    return load_region(region_dir, district=district)


def scheme_paths(value: Any) -> tuple[Path, ...]:
    """Scheme files from a list, a list written as text, or one path (resolved, existing)."""
    if value is None:
        return ()
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return ()
        if text.startswith("["):  # papermill -p schemes '[...]' arrives as text
            import yaml

            try:
                value = yaml.safe_load(text)
            except yaml.YAMLError as e:
                raise ParameterError(f"is not a list of paths: {e}".splitlines()[0],
                                     "write e.g. -y 'schemes: [a.yaml, b.yaml]'", parameter="schemes") from None
        else:
            value = [text]
    if isinstance(value, os.PathLike):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ParameterError(f"must be a list of scheme files, not {value!r} ({type(value).__name__})",
                             "write e.g. -y 'schemes: [a.yaml, b.yaml]'", parameter="schemes")
    return tuple(resolve_input("schemes", v) for v in value)


def _budget(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ParameterError(f"must be a number of yuan ≥ 0 or None, not {value!r}", "inject e.g. -p budget 5000000",
                             parameter="budget")
    return float(value)


def _name(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ParameterError(f"must be text or None, not {value!r}", "inject e.g. -p name 'Sample County'",
                             parameter="name")
    return str(value)


@dataclass(frozen=True, eq=False, repr=False)
class NotebookParameters:
    """What a notebook was asked to do, checked, with the region loaded.

    Attributes
    ----------
    region_dir : Path
        The region folder or store (absolute).
    region_text : str
        ``region_dir`` as it was given (shown in the repr, so that outputs hold no
        machine's absolute path when a relative one was given).
    year : int
    district : str or None
    lang : str
    scheme_files : tuple of Path
    output_dir : Path or None
    budget : float or None
    name : str or None
    region : Region
        The whole region (read and validated once).

    Examples
    --------
    >>> p = check_parameters(region_dir="data/sample", year=2026, district="城关镇")
    >>> p.year, p.district, p.scope.districts
    (2026, '城关镇', ('城关镇',))
    """

    region_dir: Path
    region_text: str
    year: int
    district: str | None
    lang: str
    region: Region
    scheme_files: tuple[Path, ...] = ()
    output_dir: Path | None = None
    budget: float | None = None
    name: str | None = None
    declared: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def scope(self) -> Region:
        """The district's Region, or the whole region."""
        return self.region.district(self.district) if self.district is not None else self.region

    @cached_property
    def schemes(self) -> tuple[Scheme, ...]:
        """The scheme files, loaded; each ``source`` (shown in the comparison's tables)
        relative to the repository when inside it, else the file's name — without the
        machine's folders."""
        from dataclasses import replace

        from reliefkit.policy.schemes import load_scheme
        from reliefkit.store.inputs import portable_path

        return tuple(replace(load_scheme(p), source=portable_path(p)) for p in self.scheme_files)

    @property
    def scope_label(self) -> str:
        """The district's name, or ``region`` — as :class:`~reliefkit.simulate.compare.Comparison` says."""
        return self.district if self.district is not None else "region"

    def output(self, filename: str) -> Path | None:
        """``output_dir / filename`` (the folder created), or None when no output is wanted."""
        if self.output_dir is None:
            return None
        self.output_dir.mkdir(parents=True, exist_ok=True)
        return self.output_dir / filename

    def __repr__(self) -> str:
        scope = f"district {self.district!r}" if self.district is not None else "the whole region"
        parts = [f"region {self.region.name!r} ({self.region_text})", f"year {self.year}", scope,
                 f"lang {self.lang}"]
        if "schemes" in self.declared:
            names = ", ".join(repr(s.name) for s in self.schemes) or "none"
            parts.append(f"schemes {names}")
        if "budget" in self.declared:
            parts.append("budget " + (f"{self.budget:,.2f} yuan" if self.budget is not None
                                      else "= what the ledger paid"))
        parts.append("writing files" if self.output_dir is not None else "no output files")
        return f"NotebookParameters({', '.join(parts)})"


def check_parameters(**parameters: Any) -> NotebookParameters:
    """Check a notebook's parameters and load the region they name.

    Parameters
    ----------
    **parameters
        The notebook's parameters by name: ``region_dir``, ``year`` (required);
        ``district``, ``lang``, ``schemes``, ``output_dir``, ``budget``, ``name``
        (optional; see the module's rules). Any other name is an error.

    Returns
    -------
    NotebookParameters
        The checked parameters with the region loaded.

    Raises
    ------
    ParameterError
        A parameter of the wrong type or value, a path that does not exist.
    UnknownDistrictError
        A district the region does not have; the message lists the known ones.
    SchemeError
        A scheme file that is not a scheme.
    RegionReadError
        A region folder whose households or persons cannot be read.

    Examples
    --------
    >>> check_parameters(region_dir="data/sample", year=2026, district="nowhere")
    Traceback (most recent call last):
    ...
    reliefkit.errors.UnknownDistrictError: district 'nowhere': is not a district of region '青山区' — use one of: 城关镇, 新城街道, 柳林镇, 河西乡, 石桥乡, 青山乡
    """
    unknown = sorted(set(parameters) - set(PARAMETERS))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}",
                             f"a notebook of the kit takes {', '.join(PARAMETERS)}", parameter=unknown[0])
    for required in ("region_dir", "year"):
        if required not in parameters:
            raise ParameterError("is required", f"inject e.g. -p {required} …", parameter=required)
    year = _year(parameters["year"])
    lang = _lang(parameters.get("lang", "zh"))
    region_text = _text_path("region_dir", parameters["region_dir"])
    region_dir = resolve_input("region_dir", region_text)
    scheme_files = scheme_paths(parameters.get("schemes"))
    output_dir = resolve_output("output_dir", parameters.get("output_dir"))
    budget = _budget(parameters.get("budget"))
    name = _name(parameters.get("name"))
    if not region_dir.is_dir():
        raise ParameterError(f"{region_text!r} is not a folder", "give the region folder", parameter="region_dir")
    region = _load(region_dir, parameters.get("district"))
    for line in region.validation.warnings():
        print(f"warning: {line}")
    district = _district(parameters.get("district"), region)
    out = NotebookParameters(region_dir, region_text, year, district, lang, region, scheme_files, output_dir,
                             budget, name, frozenset(parameters))
    out.schemes  # noqa: B018 - load every scheme file now: a bad one fails in the checking cell
    return out
