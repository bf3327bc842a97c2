"""Every public entry point — what ``reliefkit.__all__`` and the subpackages' ``__all__``
list — documents itself in numpydoc: Parameters, Returns and an example (the examples
run as doctests on data/sample)."""

from __future__ import annotations

import importlib
import inspect

import pytest

import reliefkit

SUBPACKAGES = ("io", "store", "region", "policy", "figures", "simulate", "report", "notebook", "run", "cli", "sample")


def _entry_points() -> list[tuple[str, object]]:
    out = [(f"reliefkit.{n}", getattr(reliefkit, n)) for n in reliefkit.__all__ if n != "__version__"]
    for sub in SUBPACKAGES:
        package = importlib.import_module(f"reliefkit.{sub}")
        out += [(f"reliefkit.{sub}.{n}", getattr(package, n)) for n in package.__all__]
    return [(name, obj) for name, obj in out if inspect.isfunction(obj) or inspect.isclass(obj)]


def _missing(obj: object) -> list[str]:
    doc = inspect.getdoc(obj) or ""
    if issubclass(obj, Exception) if inspect.isclass(obj) else False:
        return [] if doc else ["docstring"]
    need = []
    params = [p for p in inspect.signature(obj).parameters if p not in ("self", "cls")]
    if inspect.isclass(obj):
        if params and "Parameters" not in doc and "Attributes" not in doc:
            need.append("Parameters or Attributes")
    else:
        if params and "Parameters" not in doc:
            need.append("Parameters")
        if inspect.signature(obj).return_annotation not in (None, "None") and "Returns" not in doc:
            need.append("Returns")
    if "Examples" not in doc:
        need.append("Examples")
    return need


@pytest.mark.parametrize("name,obj", _entry_points(), ids=[n for n, _ in _entry_points()])
def test_public_entry_point_is_documented(name, obj):
    assert not _missing(obj), f"{name} lacks {', '.join(_missing(obj))}"
