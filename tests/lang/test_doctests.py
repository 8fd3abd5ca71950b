"""The examples in siyada.lang docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["script", "orthography", "searchkey", "translit", "lid", "codeswitch"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"siyada.lang.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
