"""reliefkit — registries of households in difficulty, assistance schemes, year-end summaries.

The package follows the flow of the data, one subpackage a step (arrows point down only):

========== ==========================================================================
io         read a region folder, map headers, coerce, validate → problems, quarantine
region     :class:`Region`: the validated frames, ``.district(name)``; the day rules
policy     dated policy parameters (YAML) and scheme files over them
figures    the facts of a year, integrity flags, assistance modes
simulate   programme rules → eligibility and benefit; measures, comparison, sweep
report     narrative, charts, Markdown/HTML/DOCX, publication and publicity tables
notebook   what the thin notebooks call: parameters, display, explorer, comparison
run        papermill per district, warm workers, Dask, index, manifest
cli        the ``reliefkit`` command
safety     atomic writers, spreadsheet escaping, privacy gate, disclosure control
text       the number formatter, words and labels, resident ID numbers and masking
sample     the bundled synthetic region and the scalable generator
========== ==========================================================================

The public API is what ``__all__`` lists; names are imported lazily so that
``import reliefkit`` (and the CLI's ``--help``) stays fast.

Examples
--------
>>> import reliefkit as rk
>>> region = rk.load_region("data/sample")
>>> rk.facts(region, 2026)["tekun.persons"]
75
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reliefkit._lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    "load_region": "region.region",
    "Region": "region.region",
    "validate_folder": "io.validation",
    "ValidationResult": "io.validation",
    "Policy": "policy.parameters",
    "baseline_policy": "policy.parameters",
    "load_policy": "policy.parameters",
    "region_policy": "policy.parameters",
    "load_scheme": "policy.schemes",
    "facts": "figures.facts",
    "simulate": "simulate.simulation",
    "compare": "simulate.compare",
    "explain": "report.explain",
    "mask_id": "text.idnumbers",
    "mask_name": "text.idnumbers",
    "write_sample_region": "sample",
    "ReliefkitError": "errors",
    "RegionReadError": "errors",
    "PolicyError": "errors",
    "SchemeError": "errors",
    "UnknownDistrictError": "errors",
    "ParameterError": "errors",
    "OutputError": "errors",
    "RunInterrupted": "errors",
    "UsageError": "errors",
}

__all__ = [*sorted(_EXPORTS), "__version__"]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.errors import (OutputError, ParameterError, PolicyError, RegionReadError, ReliefkitError, UsageError,
                                  RunInterrupted, SchemeError, UnknownDistrictError)
    from reliefkit.figures.facts import facts
    from reliefkit.io.validation import ValidationResult, validate_folder
    from reliefkit.policy.parameters import Policy, baseline_policy, load_policy, region_policy
    from reliefkit.policy.schemes import load_scheme
    from reliefkit.region.region import Region, load_region
    from reliefkit.sample import write_sample_region
    from reliefkit.simulate.compare import compare
    from reliefkit.simulate.simulation import simulate
    from reliefkit.text.idnumbers import mask_id, mask_name
