"""Prompt templates and the agent's fixed sentences, as data files loaded with importlib.resources."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml


@cache
def template(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def _messages() -> dict[str, dict[str, str]]:
    data: dict[str, Any] = yaml.safe_load(template("messages.yaml"))
    return data


def message(key: str, label: str) -> str:
    """A fixed sentence (e.g. 'no_answer') in the language ``label``, falling back to French."""
    table = _messages()[key]
    lang = label.partition("_")[0]
    for k in (label, *(k for k in table if k.startswith(lang + "_")), "fra_Latn"):
        if k in table:
            return table[k]
    return next(iter(table.values()))
