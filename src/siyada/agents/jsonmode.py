"""Tool calls for models without native tool calling: one grammar-constrained JSON object per turn.

The model is given a JSON schema (``anyOf`` one object per tool, plus ``{"answer": ...}``) that
llama.cpp turns into a grammar, so even a small model can only emit a well-formed call. Parsing
is still defensive — remote backends may ignore the schema — and a malformed turn becomes a
:class:`Turn` of kind ``error`` that the runner reports back to the model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from siyada.types import ToolSpec


@dataclass(slots=True)
class Turn:
    kind: Literal["tool", "answer", "error"]
    text: str = ""  # the answer, or the error message
    tool: str = ""
    arguments: dict[str, Any] = field(default_factory=dict)


def turn_schema(tools: list[ToolSpec]) -> dict[str, Any]:
    answer = {
        "type": "object",
        "properties": {"answer": {"type": "string"}},
        "required": ["answer"],
        "additionalProperties": False,
    }
    options: list[dict[str, Any]] = [
        {
            "type": "object",
            "properties": {"tool": {"const": t.name}, "arguments": t.parameters},
            "required": ["tool", "arguments"],
            "additionalProperties": False,
        }
        for t in tools
    ]
    return {"anyOf": [*options, answer]} if options else answer


def tool_list(tools: list[ToolSpec]) -> str:
    return "\n".join(
        f"- {t.name}: {t.description} Arguments: {json.dumps(t.parameters, ensure_ascii=False)}" for t in tools
    )


def parse_turn(text: str, tool_names: set[str]) -> Turn:
    raw = text.strip()
    if raw.startswith("```"):
        raw = raw.strip("`").removeprefix("json").strip()
    start, end = raw.find("{"), raw.rfind("}")
    if start < 0 or end <= start:
        return Turn("error", text="the reply is not a JSON object")
    try:
        data = json.loads(raw[start : end + 1])
    except json.JSONDecodeError as exc:
        return Turn("error", text=f"the reply is not valid JSON ({exc.msg})")
    if not isinstance(data, dict):
        return Turn("error", text="the reply must be a JSON object")
    if isinstance(data.get("answer"), str):
        return Turn("answer", text=data["answer"])
    name = data.get("tool")
    if not isinstance(name, str) or name not in tool_names:
        return Turn("error", text=f"unknown tool {name!r}; tools: {', '.join(sorted(tool_names)) or 'none'}")
    args = data.get("arguments", {})
    if not isinstance(args, dict):
        return Turn("error", text="'arguments' must be a JSON object")
    return Turn("tool", tool=name, arguments=args)
