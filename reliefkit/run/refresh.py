"""Keep the committed notebooks executed, deterministic and paired (``make notebooks``).

``python -m reliefkit.run.refresh refresh [NOTEBOOK …]`` brings each notebook in
``notebooks/`` up to date with its text copy in ``notebooks/scripts/`` (jupytext pairing:
whichever was edited last wins), executes it on the default parameters (``data/sample``,
the whole region) with this environment's kernel, strips everything that changes from run
to run and writes both files again. ``python -m reliefkit.run.refresh check`` fails when a
pair differs or a notebook holds volatile metadata — what the tests check too.

What :func:`normalize` keeps: the cells, their ``tags``, their outputs; execution counts
renumbered 1, 2, …; the notebook's kernelspec (``python3``) and language name. What it
drops: execution timing, papermill's metadata, the widget state (the explorer needs a
live kernel anyway; a widget's random model id becomes the numbered one a run's
notebooks get, :func:`reliefkit.run.normalize.rename_widget_models`), the Python version.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["NOTEBOOKS_DIR", "notebook_paths", "script_path", "normalize", "execute", "refresh", "check", "main"]


def _root() -> Path:
    from reliefkit._resources import repo_root

    root = repo_root()
    if root is None:  # pragma: no cover - an installed copy has no notebooks
        from reliefkit.errors import ReliefkitError

        raise ReliefkitError("the notebooks live in the repository, not in an installed copy",
                             "run this from a clone of reliefkit")
    return root


NOTEBOOKS_DIR = "notebooks"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def notebook_paths() -> list[Path]:
    """The kit's notebooks (``notebooks/NN-*.ipynb``, and those that exist only as scripts), sorted."""
    folder = _root() / NOTEBOOKS_DIR
    names = {p.stem for p in folder.glob("[0-9][0-9]-*.ipynb")}
    names |= {p.stem for p in (folder / "scripts").glob("[0-9][0-9]-*.py")}
    return [folder / f"{n}.ipynb" for n in sorted(names)]


def script_path(notebook: Path) -> Path:
    """The paired text copy of a notebook (``scripts/<name>.py``, py:percent)."""
    return notebook.parent / "scripts" / f"{notebook.stem}.py"


def _cell_id(index: int, cell: Any) -> str:
    digest = hashlib.sha1(f"{index}\0{cell.cell_type}\0{cell.source}".encode()).hexdigest()
    return digest[:8]


def normalize(nb: Any) -> Any:
    """Strip what changes from run to run (in place; returns ``nb``)."""
    import nbformat

    from reliefkit.run.normalize import rename_widget_models

    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    count = 0
    seen: set[str] = set()
    for i, cell in enumerate(nb.cells):
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
        if not cell.get("id") or cell.id in seen:
            cell.id = _cell_id(i, cell)
        seen.add(cell.id)
        if cell.cell_type != "code":
            continue
        if cell.outputs or cell.execution_count is not None:
            count += 1
            cell.execution_count = count
        for out in cell.outputs:
            if "execution_count" in out:
                out.execution_count = cell.execution_count
            if out.get("metadata"):
                out.metadata = {}
    # widget model ids are random: numbered in order, as in a run's notebooks
    nb.cells = nbformat.from_dict(rename_widget_models(json.loads(json.dumps(nb))))["cells"]
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def execute(nb: Any, cwd: Path, timeout: float = 600) -> Any:
    """Execute a notebook with this environment's kernel in ``cwd`` (outputs replaced)."""
    from nbclient import NotebookClient

    from reliefkit.run.kernel import OwnKernelManager

    NotebookClient(nb, timeout=timeout, kernel_name="python3", kernel_manager_class=OwnKernelManager,
                   resources={"metadata": {"path": str(cwd)}}, record_timing=False,
                   store_widget_state=False).execute()
    return nb


def _sync(path: Path) -> None:
    from jupytext.cli import jupytext as jupytext_cli

    jupytext_cli(["--sync", "--quiet", str(path)])


def refresh(notebooks: Sequence[Path] | None = None, timeout: float = 600) -> list[Path]:
    """Sync, execute, normalize and write each notebook and its text copy."""
    import nbformat

    done = []
    for nb_path in notebooks or notebook_paths():
        nb_path = Path(nb_path).resolve()
        script = script_path(nb_path)
        _sync(script if script.exists() and not nb_path.exists() else nb_path)
        nb = nbformat.read(nb_path, as_version=4)
        execute(nb, nb_path.parent, timeout)
        normalize(nb)
        nbformat.write(nb, nb_path)
        _sync(nb_path)  # the notebook is now the newer file: rewrite the text copy from it
        print(f"refreshed {nb_path.relative_to(_root())}")
        done.append(nb_path)
    return done


def check(notebooks: Sequence[Path] | None = None) -> list[str]:
    """Problems of the committed notebooks: a text copy out of step, volatile metadata,
    a cell never executed. Empty when all is well."""
    import jupytext
    import nbformat

    problems = []
    for nb_path in notebooks or notebook_paths():
        name = nb_path.name
        if not nb_path.exists():
            problems.append(f"{name}: missing (run `make notebooks`)")
            continue
        nb = nbformat.read(nb_path, as_version=4)
        script = script_path(nb_path)
        if not script.exists():
            problems.append(f"{name}: no text copy {script.name} (run `make notebooks`)")
        else:
            text = jupytext.writes(nb, fmt="py:percent", config=_config(nb_path))
            if text != script.read_text(encoding="utf-8"):
                problems.append(f"{name}: differs from scripts/{script.name} (run `make notebooks`)")
        before = nbformat.writes(nb)
        if nbformat.writes(normalize(nb)) != before:
            problems.append(f"{name}: holds run-dependent metadata (run `make notebooks`)")
        if any(c.cell_type == "code" and c.execution_count is None and c.source.strip() for c in nb.cells):
            problems.append(f"{name}: has cells never executed (run `make notebooks`)")
    return problems


def _config(nb_path: Path) -> Any:
    from jupytext.config import load_jupytext_config

    return load_jupytext_config(str(nb_path))


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m reliefkit.run.refresh", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("refresh", help="re-execute and re-save the committed notebooks (deterministic)")
    r.add_argument("notebooks", nargs="*", type=Path)
    r.add_argument("--timeout", type=float, default=600, help="seconds per cell")
    c = sub.add_parser("check", help="check pairing and metadata of the committed notebooks")
    c.add_argument("notebooks", nargs="*", type=Path)
    args = p.parse_args(argv)
    if args.command == "refresh":
        refresh(args.notebooks or None, args.timeout)
        return 0
    problems = check(args.notebooks or None)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
