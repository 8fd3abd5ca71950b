import json

from siyada.backends.tool_calls import call_schema, messages_with_tools, parse_tool_call, tool_call_id
from siyada.types import Message, ToolCall, ToolSpec

TOOLS = [
    ToolSpec("weather", "Weather", {"type": "object", "properties": {"city": {"type": "string"}}}),
    ToolSpec("rate", "Rate", {"type": "object", "properties": {}}),
]


def test_parse_valid_call() -> None:
    call = parse_tool_call(' {"name": "weather", "arguments": {"city": "Fès"}} ', TOOLS)
    assert call is not None and call.name == "weather" and json.loads(call.arguments) == {"city": "Fès"}


def test_parse_rejects_text_unknown_tool_and_bad_json() -> None:
    assert parse_tool_call("The weather is fine", TOOLS) is None
    assert parse_tool_call('{"name": "launch", "arguments": {}}', TOOLS) is None
    assert parse_tool_call('{"name": "weather", "arguments": ', TOOLS) is None
    assert parse_tool_call('{"name": "weather", "arguments": [1]}', TOOLS) is None


def test_parse_accepts_fenced_json_and_string_arguments() -> None:
    call = parse_tool_call('```json\n{"name": "rate", "arguments": "{}"}\n```', TOOLS)
    assert call is not None and call.arguments == "{}"


def test_schema_for_named_and_any_tool() -> None:
    one = call_schema(TOOLS, "weather")
    assert one["properties"]["name"] == {"const": "weather"}
    both = call_schema(TOOLS, "required")
    assert [s["properties"]["name"]["const"] for s in both["anyOf"]] == ["weather", "rate"]


def test_history_rewritten_for_templates_without_tools() -> None:
    msgs = messages_with_tools(
        [
            Message("user", "weather?"),
            Message("assistant", None, tool_calls=[ToolCall("abc123XYZ", "weather", '{"city": "Rabat"}')]),
            Message("tool", "sunny", tool_call_id="abc123XYZ", name="weather"),
        ],
        TOOLS,
        "auto",
    )
    assert msgs[0].role == "system" and '"weather"' in (msgs[0].content or "")
    assert json.loads(msgs[2].content or "") == {"name": "weather", "arguments": {"city": "Rabat"}}
    assert msgs[3].role == "user" and "sunny" in (msgs[3].content or "")
    assert messages_with_tools([Message("user", "x")], TOOLS, "none")[0].role == "user"


def test_ids_are_nine_alphanumerics() -> None:
    ids = {tool_call_id() for _ in range(50)}
    assert len(ids) == 50 and all(len(i) == 9 and i.isalnum() for i in ids)
