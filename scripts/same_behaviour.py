"""Same behaviour, proven: save what the kit computes now, and check it later.

Records, through the ``reliefkit`` command only (so it survives any move of the code
inside the package):

- ``reliefkit facts`` for the region and for every district,
- ``reliefkit compare --json`` with the two scheme files of ``notebooks/schemes/``,

on ``data/sample`` and on a synthetic region of 50,000 persons (written by the kit's own
generator, whose files are hashed too: the generator must not change either), and
``reliefkit run``'s file list with the SHA-256 of every file on ``data/sample``.

    python scripts/same_behaviour.py save  OUT_DIR     # before a change
    python scripts/same_behaviour.py check OUT_DIR     # after it: exit 1 on any difference

Files of a run that legitimately change with the code (they hash it) are listed by name
only: ``manifest.json`` (package versions and code fingerprint) and the hidden up-to-date
stamps. An executed notebook is compared by its outputs (a refactoring may change the
import lines of its cells, never what they show); in notebooks and HTML the run's own
temporary output folder is replaced by ``<out>`` first, since it differs from run to run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR = "2026"
SCHEMES = sorted(str(p) for p in (ROOT / "notebooks" / "schemes").glob("*.yaml"))
# hold the code fingerprint (hash of the package) or run-specific bookkeeping
CODE_DEPENDENT = ("manifest.json",)


def _exe() -> str:
    bin_dir = Path(sys.executable).parent
    return str(bin_dir / "reliefkit")


def _cli(*args: str) -> str:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    done = subprocess.run([_exe(), *args], capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode not in (0, 1):
        raise SystemExit(f"reliefkit {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _synthetic(folder: Path) -> dict[str, str]:
    from reliefkit.sample import synthetic_tables, write_region

    paths = write_region(synthetic_tables(50_000, seed=11, n_districts=6), folder)
    return {name: _sha(Path(p)) for name, p in sorted(paths.items())}


def _figures(region: Path) -> dict[str, object]:
    whole = json.loads(_cli("facts", str(region), "--year", YEAR))
    out: dict[str, object] = {"facts": {"_region": whole}}
    from reliefkit import load_region

    for district in load_region(region).districts:
        out["facts"][district] = json.loads(_cli("facts", str(region), "--year", YEAR,
                                                 "--district", district))
    args = ["compare", str(region), "--year", YEAR, "--json"]
    for scheme in SCHEMES:
        args += ["--scheme", scheme]
    out["compare"] = json.loads(_cli(*args))
    return out


def _content(path: Path, out: str) -> bytes:
    """What a run file shows: its bytes; for a notebook, its cells' outputs only; for a
    workbook, its cells' values. The run's folder and the repository's path (scheme files
    are named by their path) are replaced by ``<out>`` and ``<repo>``."""
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        data = json.dumps({ws.title: [list(map(str, row)) for row in ws.iter_rows(values_only=True)]
                           for ws in book.worksheets}, ensure_ascii=False).encode()
        book.close()
    if path.suffix in (".ipynb", ".html", ".xlsx"):
        data = data.replace(out.encode(), b"<out>").replace(str(ROOT).encode(), b"<repo>")
    if path.suffix == ".ipynb":
        cells = json.loads(data)["cells"]
        shown = [c.get("outputs", []) for c in cells
                 if c["cell_type"] == "code" and "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
        data = json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()
    return data


def _run_files(region: Path) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        _cli("run", str(region), "--year", YEAR, "--out", tmp, "--jobs", "2")
        base = Path(tmp)
        files = {}
        for path in sorted(base.rglob("*")):
            if path.is_file():
                rel = path.relative_to(base).as_posix()
                files[rel] = "code-dependent" if path.name in CODE_DEPENDENT or path.name.startswith(".") \
                    else hashlib.sha256(_content(path, str(base))).hexdigest()
        return files


def record() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        synth = Path(tmp) / "synthetic-50k"
        return {
            "sample": _figures(ROOT / "data" / "sample"),
            "synthetic_files": _synthetic(synth),
            "synthetic": _figures(synth),
            "run_files": _run_files(ROOT / "data" / "sample"),
        }


def _diff(a: object, b: object, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{where}/{k}: only before" for k in a.keys() - b.keys()]
        out += [f"{where}/{k}: only after" for k in b.keys() - a.keys()]
        for k in sorted(a.keys() & b.keys()):
            out += _diff(a[k], b[k], f"{where}/{k}")
        return out
    return [] if a == b else [f"{where}: {a!r} → {b!r}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    now = record()
    target = args.folder / "behaviour.json"
    if args.action == "save":
        args.folder.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(now, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        n_facts = sum(len(v["facts"]) for k, v in now.items() if k in ("sample", "synthetic"))
        print(f"saved {n_facts} facts scopes, 2 comparisons, {len(now['run_files'])} run files → {target}")
        return 0
    before = json.loads(target.read_text(encoding="utf-8"))
    differences = _diff(before, json.loads(json.dumps(now)))
    for line in differences:
        print(line)
    print(f"{len(differences)} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
