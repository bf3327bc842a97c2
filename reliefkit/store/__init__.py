"""Step 1b of the flow — the validated region store.

A region folder read and validated once, kept as Parquet partitioned by district
(``build``: :func:`build_store`, :func:`ensure_store`), read whole or one district's rows
only (``read``: :func:`read_store`); ``inputs`` says what a store is built from and
fingerprints it. ``reliefkit.region.load_region`` reads a store as it reads a folder.
"""

from reliefkit._lazy import lazy_exports

__all__ = ["build_store", "ensure_store", "is_store", "read_meta", "read_store", "input_fingerprint",
           "portable_path"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "build_store": "build", "ensure_store": "build", "is_store": "build", "read_meta": "build",
    "read_store": "read", "input_fingerprint": "inputs", "portable_path": "inputs",
})
