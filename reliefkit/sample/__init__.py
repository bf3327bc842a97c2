"""The bundled synthetic region and the scalable generator (deterministic per seed)."""

from reliefkit._lazy import lazy_exports

__all__ = ["sample_tables", "synthetic_tables", "write_region", "write_sample_region"]
__getattr__, __dir__ = lazy_exports(__name__, {name: "generator" for name in __all__})
