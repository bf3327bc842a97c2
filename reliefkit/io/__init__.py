"""Step 1 of the flow — read a region folder and validate it.

``schema`` declares the tables; ``aliases`` maps Chinese and variant headers, codes and
file names onto them; ``reading`` finds and decodes the files; ``coerce`` turns cells into
typed values; ``validation`` runs every check lazily and splits accepted from
quarantined rows; ``problems`` is the one problems table; ``writing`` writes a region's
tables back out (CSV, XLSX, Parquet).
"""

from reliefkit._lazy import lazy_exports

__all__ = ["TABLES", "ValidationResult", "validate_folder", "write_tables"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "TABLES": "schema", "ValidationResult": "validation", "validate_folder": "validation",
    "write_tables": "writing",
})
