"""Fixtures shared by `tests/` and the Gherkin specs in `features/`."""

pytest_plugins = ["tests.stores"]
