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
