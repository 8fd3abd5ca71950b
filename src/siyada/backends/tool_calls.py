"""Tool calling for models without native support (pure functions).

Embedded models get the tools described in the system prompt (template in
``data/tool_prompt.txt``). When a call is required (``tool_choice`` "required"/"any" or a tool
name) the output is constrained by a JSON-schema grammar to ``{"name", "arguments"}`` with the
tool's own parameter schema, so it always parses. With "auto" the model may answer in text; an
answer that is a JSON object naming a known tool is taken as a call.
"""

from __future__ import annotations

import json
import secrets
import string
from functools import cache
from importlib.resources import files
from typing import Any

from siyada.types import Message, ToolCall, ToolSpec

_ALNUM = string.ascii_letters + string.digits


def tool_call_id() -> str:
    # Nine alphanumerics: Mistral's required form, accepted by OpenAI clients.
    return "".join(secrets.choice(_ALNUM) for _ in range(9))


@cache
def _template() -> str:
    return files("siyada.backends").joinpath("data/tool_prompt.txt").read_text(encoding="utf-8")


def tool_system_prompt(tools: list[ToolSpec], choice: str) -> str:
    lines = [
        json.dumps({"name": t.name, "description": t.description, "parameters": t.parameters}, ensure_ascii=False)
        for t in tools
    ]
    if choice == "required":
        rule = "You must call one of the tools."
    elif choice in ("auto", "none"):
        rule = "If no tool is needed, answer the user directly in plain text."
    else:
        rule = f"You must call the tool {choice}."
    return _template().format(tools="\n".join(lines), rule=rule).strip()


def call_schema(tools: list[ToolSpec], choice: str) -> dict[str, Any]:
    """JSON schema of the one tool call the model must produce."""
    chosen = [t for t in tools if choice in ("required", "auto") or t.name == choice]

    def one(t: ToolSpec) -> dict[str, Any]:
        params = t.parameters if t.parameters.get("type") == "object" else {"type": "object"}
        return {
            "type": "object",
            "properties": {"name": {"const": t.name}, "arguments": params},
            "required": ["name", "arguments"],
        }

    return one(chosen[0]) if len(chosen) == 1 else {"anyOf": [one(t) for t in chosen]}


def parse_tool_call(text: str, tools: list[ToolSpec]) -> ToolCall | None:
    """The call in ``text`` if it is a JSON object naming one of ``tools``, else None."""
    body = text.strip()
    if body.startswith("```"):
        body = body.strip("`").removeprefix("json").strip()
    if not body.startswith("{"):
        return None
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or data.get("name") not in {t.name for t in tools}:
        return None
    args = data.get("arguments", data.get("parameters", {}))
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except json.JSONDecodeError:
            return None
    if not isinstance(args, dict):
        return None
    return ToolCall(id=tool_call_id(), name=data["name"], arguments=json.dumps(args, ensure_ascii=False))


def messages_with_tools(messages: list[Message], tools: list[ToolSpec], choice: str) -> list[Message]:
    """Rewrite a conversation for a template that knows nothing of tools.

    The tool description joins the system text; earlier assistant calls become their JSON; tool
    results become user turns that say which tool answered.
    """
    out: list[Message] = []
    if tools and choice != "none":
        out.append(Message(role="system", content=tool_system_prompt(tools, choice)))
    for m in messages:
        if m.role == "assistant" and m.tool_calls:
            calls = [{"name": c.name, "arguments": _loads(c.arguments)} for c in m.tool_calls]
            text = json.dumps(calls[0] if len(calls) == 1 else calls, ensure_ascii=False)
            out.append(Message(role="assistant", content=text))
        elif m.role == "tool":
            out.append(Message(role="user", content=f"Tool result ({m.name or m.tool_call_id}):\n{m.content or ''}"))
        else:
            out.append(m)
    return out


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text
