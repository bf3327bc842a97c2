"""Which notebooks a run executes, and which parameters each declares.

Examples
--------
>>> [p.stem for p in find_notebooks(["03"])]
['03-year-end-summary']
"""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reliefkit.errors import ReliefkitError

__all__ = ["default_notebooks", "find_notebooks", "declared_parameters"]


def default_notebooks() -> list[Path]:
    """The kit's notebooks, ``notebooks/NN-*.ipynb`` of the repository.

    Returns
    -------
    list of Path
        In name order.

    Raises
    ------
    ReliefkitError
        When there are none (an installed copy, away from the repository).

    Examples
    --------
    >>> [p.name for p in default_notebooks()]
    ['01-explore-households.ipynb', '02-compare-schemes.ipynb', '03-year-end-summary.ipynb']
    """
    from reliefkit._resources import repo_root

    root = repo_root()
    folder = root / "notebooks" if root is not None else None
    found = sorted(folder.glob("[0-9][0-9]-*.ipynb")) if folder is not None and folder.is_dir() else []
    if not found:
        raise ReliefkitError("found no notebooks (notebooks/NN-*.ipynb of the repository)",
                             "give them with --notebook PATH")
    return found


def find_notebooks(names: Sequence[str | os.PathLike] | None) -> list[Path]:
    """Notebooks by path, or by name or number among the kit's.

    Parameters
    ----------
    names : sequence of str or path, optional
        Paths of ``.ipynb`` files, or ``03``, ``03-year-end-summary``,
        ``year-end-summary``; empty or None: all of the kit's.

    Returns
    -------
    list of Path
        Absolute, each once, in the order given.

    Raises
    ------
    ReliefkitError
        A name that matches no notebook, or more than one.

    Examples
    --------
    >>> [p.stem for p in find_notebooks(["compare-schemes", "01"])]
    ['02-compare-schemes', '01-explore-households']
    """
    if not names:
        return default_notebooks()
    out = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            out.append(path.resolve())
            continue
        text = str(name).removesuffix(".ipynb")
        matches = [p for p in default_notebooks() if p.stem == text or p.stem.startswith(f"{text}-")
                   or p.stem.split("-", 1)[-1] == text]
        if len(matches) != 1:
            raise ReliefkitError(f"matches {'no' if not matches else 'more than one'} notebook",
                                 f"use one of: {', '.join(p.stem for p in default_notebooks())}, or a path",
                                 notebook=repr(str(name)))
        out.append(matches[0].resolve())
    return list(dict.fromkeys(out))


def _parameters_cell(notebook: Path) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            src = cell.get("source", "")
            return "".join(src) if isinstance(src, list) else src
    return ""


def declared_parameters(notebook: str | os.PathLike) -> dict[str, Any]:
    """The parameters a notebook declares (its ``parameters`` cell), with their default
    values (``...`` when the default is not a literal).

    Parameters
    ----------
    notebook : str or path
        The ``.ipynb`` file.

    Returns
    -------
    dict
        Name → default value.

    Examples
    --------
    >>> sorted(declared_parameters("notebooks/03-year-end-summary.ipynb"))
    ['district', 'lang', 'name', 'output_dir', 'region_dir', 'year']
    """
    out: dict[str, Any] = {}
    for node in ast.parse(_parameters_cell(Path(notebook))).body:
        target, value = None, None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        if target is None:
            continue
        try:
            out[target] = ast.literal_eval(value) if value is not None else None
        except ValueError:
            out[target] = ...
    return out
