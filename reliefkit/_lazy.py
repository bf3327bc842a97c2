"""Lazy public names of a package: imported on first use, so ``import reliefkit`` and
``reliefkit --help`` stay fast (no pandas, numpy or plotting until a name needs them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for a package whose names live in its modules.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : mapping of str to str
        Public name → the module (relative to the package, e.g. ``"figures.facts"``)
        that defines it.

    Returns
    -------
    tuple of callables
        The module-level ``__getattr__`` and ``__dir__`` to assign in the package.

    Examples
    --------
    >>> getattr_, dir_ = lazy_exports("reliefkit", {"mask_id": "text.idnumbers"})
    >>> getattr_("mask_id")("110105194912310021")
    '110105********0021'
    """

    def __getattr__(name: str) -> Any:
        if name in exports:
            module = import_module(f".{exports[name]}", package)
            value = getattr(module, name)
            import_module(package).__dict__[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
