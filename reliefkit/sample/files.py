"""Writing a region folder: one file per table, CSV or Parquet, byte for byte the same
for the same tables.

Every file goes through :func:`reliefkit.safety.atomic.atomic_open`: it is written under
a temporary name beside the target and renamed over it, so an interrupted write leaves
the old file or the new one, never half of one (and a read-only folder or a full disk
raises :class:`reliefkit.errors.OutputError`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import pandas as pd

from reliefkit.errors import UsageError
from reliefkit.safety.atomic import atomic_open
from reliefkit.sample.bundled import sample_tables

__all__ = ["SAMPLE_METADATA", "write_region", "write_sample_region"]

#: the sample region's ``region.yaml``: a synthetic county district's names and code
SAMPLE_METADATA = """\
# What the outputs call this region (docs/en/region-folder.md, "Region metadata").
name: 青山区
name_en: Qingshan District
code: "439900"
"""


def write_region(tables: Mapping[str, pd.DataFrame], out_dir: str | Path,
                 fmt: str = "csv") -> dict[str, Path]:
    """Write a region folder: one file per table, named after the table.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        Tables by name, e.g. from :func:`sample_tables`.
    out_dir : str or pathlib.Path
        Folder to write into (created if missing; files of the same name are replaced).
    fmt : {"csv", "parquet"}, default "csv"
        ``csv``: canonical UTF-8 without BOM, ``\\n`` line endings, a header row, an
        empty field for a missing value, quotes only where a value needs them (the
        bytes pandas' ``to_csv`` writes). ``parquet``: every column as text
        (identifiers stay text), a missing value as null. Both are deterministic: the
        same tables give byte-identical files.

    Returns
    -------
    dict of str to pathlib.Path
        The file written for each table.

    Examples
    --------
    >>> import tempfile
    >>> from reliefkit.sample.bundled import sample_tables
    >>> from reliefkit.sample.files import write_region
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_region(sample_tables(), folder)
    ...     [p.name for p in paths.values()]
    ['households.csv', 'persons.csv', 'enrolments.csv', 'payments.csv', 'helpers.csv', 'pairings.csv']
    """
    if fmt not in ("csv", "parquet"):
        raise UsageError(f"format {fmt!r} is not known", "use 'csv' or 'parquet'", function="write_region")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, frame in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            _write_csv(frame, path)
        else:
            _write_parquet(frame, path)
        written[name] = path
    return written


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Canonical CSV: through Arrow's writer when every column is text that needs no
    quoting (fast, and byte for byte what pandas writes), otherwise through pandas."""
    names = [str(c) for c in frame.columns]
    plain = not any(ch in name for name in names for ch in ',"\r\n')
    if plain and all(pd.api.types.is_string_dtype(frame[c]) for c in frame.columns):
        header = ",".join(names)
        try:
            import pyarrow as pa
            import pyarrow.csv as pcsv

            table = pa.Table.from_pandas(frame, preserve_index=False)
            with atomic_open(path) as sink:
                sink.write((header + "\n").encode("utf-8"))
                pcsv.write_csv(table, sink, pcsv.WriteOptions(include_header=False,
                                                               quoting_style="none"))
            return
        except (ImportError, ValueError):  # no pyarrow, or a value that needs quotes
            pass  # pyarrow.ArrowInvalid is a ValueError; the temporary file is gone
    with atomic_open(path) as sink:
        _pandas_csv(frame, sink)


def _pandas_csv(frame: pd.DataFrame, sink: IO[bytes]) -> None:
    """``frame`` as canonical CSV through pandas, into a binary file."""
    text = io.TextIOWrapper(sink, encoding="utf-8", newline="")
    try:
        frame.to_csv(text, index=False, lineterminator="\n", na_rep="")
        text.flush()
    finally:
        text.detach()  # leave ``sink`` open for atomic_open to finish


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Every column as large text, an empty value as null."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    arrays = []
    for col in frame.columns:
        arr = pa.array(frame[col].astype("str"), type=pa.large_string(), from_pandas=True)
        arrays.append(pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr))
    table = pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])
    with atomic_open(path) as sink:
        pq.write_table(table, sink)


def write_sample_region(out_dir: str | Path, seed: int = 2026) -> dict[str, Path]:
    """Write the sample region (:func:`sample_tables`) as canonical CSV files.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Folder to write into, e.g. ``data/sample``.
    seed : int, default 2026
        Seed of the generator; the bundled region uses the default.

    Returns
    -------
    dict of str to pathlib.Path
        The file written for each table (``region.yaml``, the region's name, is written too).

    Examples
    --------
    >>> import tempfile
    >>> from reliefkit.sample.files import write_sample_region
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     sorted(p.name for p in write_sample_region(folder).values())
    ['enrolments.csv', 'helpers.csv', 'households.csv', 'pairings.csv', 'payments.csv', 'persons.csv']
    """
    written = write_region(sample_tables(seed), out_dir)
    meta = Path(out_dir) / "region.yaml"
    with atomic_open(meta) as sink:
        sink.write(SAMPLE_METADATA.encode("utf-8"))
    return written
