"""Browser tests (a package, so that its conftest is ``browser.conftest`` and never shadows
the suite's ``conftest`` that other tests import helpers from)."""
