"""The package's own documents (policies, templates, word lists), found through
:mod:`importlib.resources` so that they load wherever the package is installed."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource(package: str, *parts: str) -> Path:
    """The path of a document shipped inside ``package``.

    Examples
    --------
    >>> resource("reliefkit.policy", "baseline.yaml").name
    'baseline.yaml'
    """
    return Path(str(files(package).joinpath(*parts)))


def package_root() -> Path:
    """The folder of the whole ``reliefkit`` package (every subpackage below it)."""
    return resource("reliefkit")


def repo_root() -> Path | None:
    """The repository the package is run from (the folder with ``pyproject.toml`` above
    the package), or None for an installed copy.

    Examples
    --------
    >>> (repo_root() / "data" / "sample").is_dir()
    True
    """
    here = package_root().resolve().parent
    return here if (here / "pyproject.toml").is_file() else None
