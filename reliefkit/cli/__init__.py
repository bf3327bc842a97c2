"""The ``reliefkit`` command: ``main`` parses and dispatches; ``run`` is ``reliefkit run``."""

from reliefkit.cli.main import main

__all__ = ["main"]
