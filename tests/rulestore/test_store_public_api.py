"""rulestore's public names: a short sorted __all__ that names only what exists."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["rulestore", "rulestore.accounts", "rulestore.api", "rulestore.calc", "rulestore.db", "rulestore.errors",
           "rulestore.export", "rulestore.migrations", "rulestore.models", "rulestore.query", "rulestore.regions",
           "rulestore.review", "rulestore.store"]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_complete(name):
    module = importlib.import_module(name)
    assert module.__all__ == sorted(module.__all__)
    for public in module.__all__:
        assert hasattr(module, public), f"{name}.{public}"


def test_errors_carry_code_status_and_detail():
    from rulestore import errors

    for public in errors.__all__:
        cls = getattr(errors, public)
        assert issubclass(cls, errors.StoreError)
        assert isinstance(cls.code, str) and 400 <= cls.status < 600
