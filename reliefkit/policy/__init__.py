"""Policy numbers as data — dated parameters and schemes over them.

``parameters`` loads the dated YAML (``baseline.yaml`` shipped here, a region's own
``policies/`` over it); ``schemes`` reads scheme files (``name`` + ``set``) and applies
them over a policy.
"""

from reliefkit._lazy import lazy_exports

__all__ = ["Policy", "baseline_policy", "load_policy", "region_policy", "Scheme", "load_scheme"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "Policy": "parameters", "baseline_policy": "parameters", "load_policy": "parameters",
    "region_policy": "parameters", "Scheme": "schemes", "load_scheme": "schemes",
})
