"""reliefkit — registries of households in difficulty, assistance schemes, year-end summaries.

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

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_region": "region",
    "Region": "region",
    "validate_folder": "validation",
    "ValidationResult": "validation",
    "Policy": "policy",
    "baseline_policy": "policy",
    "load_policy": "policy",
    "region_policy": "policy",
    "mask_id": "idnumbers",
    "mask_name": "idnumbers",
    "write_sample_region": "sample",
    "ReliefkitError": "errors",
    "RegionReadError": "errors",
    "PolicyError": "errors",
    "SchemeError": "errors",
    "UnknownDistrictError": "errors",
}

__all__ = sorted([*_EXPORTS, "facts"]) + ["__version__"]

# The function `facts` shares its module's name; importing it here, once, keeps
# `reliefkit.facts` the function even after `import reliefkit.facts` elsewhere.
from .facts import facts  # noqa: E402


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'reliefkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover
    from .errors import PolicyError, RegionReadError, ReliefkitError, SchemeError, UnknownDistrictError
    from .idnumbers import mask_id, mask_name
    from .policy import Policy, baseline_policy, load_policy, region_policy
    from .region import Region, load_region
    from .sample import write_sample_region
    from .validation import ValidationResult, validate_folder
