"""Search filters → one SQL condition over ``chunks c JOIN documents d``.

Known keys: ``lang`` (the chunk's language), ``document_id``, ``tags`` (any of), ``format``,
``title``, ``source``; any other key matches the document's metadata field of that name. A
value may be a scalar or a list (any of). Values are always bound parameters; keys are checked.
"""

from __future__ import annotations

import re
from typing import Any

from siyada.errors import InvalidRequestError

_COLUMNS = {
    "lang": "c.lang",
    "document_id": "c.document_id",
    "format": "d.format",
    "title": "d.title",
    "source": "d.source",
}
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def _values(key: str, value: Any) -> list[Any]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str | int | float | bool) for v in values):
        raise InvalidRequestError(f"filter '{key}' must be a string, a number or a list of them", param="filters")
    return values


def where(filters: dict[str, Any] | None) -> tuple[str, list[Any]]:
    """``(sql, params)``; ``sql`` is ``"1"`` when there is nothing to filter."""
    if not filters:
        return "1", []
    if not isinstance(filters, dict):
        raise InvalidRequestError("filters must be an object of field: value", param="filters")
    parts: list[str] = []
    params: list[Any] = []
    for key, value in filters.items():
        if not _KEY.match(key):
            raise InvalidRequestError(f"invalid filter name '{key}'", param="filters")
        values = _values(key, value)
        marks = ",".join("?" * len(values))
        if key in _COLUMNS:
            parts.append(f"{_COLUMNS[key]} IN ({marks})")
        elif key == "tags":
            parts.append(f"EXISTS (SELECT 1 FROM json_each(d.tags) WHERE json_each.value IN ({marks}))")
        else:
            parts.append(f"json_extract(d.metadata, '$.{key}') IN ({marks})")
        params.extend(values)
    return " AND ".join(parts), params
