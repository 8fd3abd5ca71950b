"""Pure translation to and from OpenAI wire JSON (no network)."""

from __future__ import annotations

import math

import pytest

from siyada.backends.openai_wire import (
    StreamDecoder,
    chat_body,
    completion_body,
    embeddings_body,
    error_message,
    finish_reason,
    message_to_wire,
    parse_embeddings,
    parse_sse_line,
    response_format_to_wire,
    tool_choice_to_wire,
)
from siyada.errors import InvalidRequestError, UpstreamError
from siyada.types import (
    ChatRequest,
    CompletionRequest,
    Message,
    ResponseFormat,
    SamplingParams,
    ToolCall,
    ToolSpec,
    Usage,
)

WEATHER = ToolSpec(
    name="weather",
    description="Weather in a city",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}},
)


def test_chat_body_translates_messages_sampling_and_streams() -> None:
    req = ChatRequest(
        model="siyada-name",
        messages=[Message("system", "Jawb b darija."), Message("user", "salam", name="amina")],
        sampling=SamplingParams(max_tokens=32, temperature=0.2, top_p=0.9, stop=["\n\n"], seed=7),
    )
    body = chat_body(req, "upstream-name")
    assert body == {
        "model": "upstream-name",
        "messages": [
            {"role": "system", "content": "Jawb b darija."},
            {"role": "user", "content": "salam", "name": "amina"},
        ],
        "max_tokens": 32,
        "temperature": 0.2,
        "top_p": 0.9,
        "stop": ["\n\n"],
        "seed": 7,
        "stream": True,
        "stream_options": {"include_usage": True},
    }


def test_chat_body_omits_unset_sampling_and_usage_when_not_accepted() -> None:
    body = chat_body(ChatRequest(model="m", messages=[Message("user", "hi")]), "m", include_usage=False)
    assert body == {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": True}


def test_tool_calls_and_results_in_history() -> None:
    call = ToolCall(id="call_1", name="weather", arguments='{"city": "Fès"}')
    assistant = message_to_wire(Message("assistant", None, tool_calls=[call]))
    assert assistant == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": '{"city": "Fès"}'}}
        ],
    }
    result = message_to_wire(Message("tool", None, tool_call_id="call_1"))
    assert result == {"role": "tool", "content": "", "tool_call_id": "call_1"}


def test_tools_and_tool_choice_forms() -> None:
    req = ChatRequest(
        model="m", messages=[Message("user", "wach kayn chta f Fès?")], tools=[WEATHER], tool_choice="weather"
    )
    body = chat_body(req, "m")
    assert body["tools"] == [
        {
            "type": "function",
            "function": {"name": "weather", "description": "Weather in a city", "parameters": WEATHER.parameters},
        }
    ]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "weather"}}
    for choice in ("auto", "none", "required"):
        assert tool_choice_to_wire(choice, [WEATHER]) == choice


def test_tool_choice_unknown_tool_or_without_tools_is_a_client_error() -> None:
    with pytest.raises(InvalidRequestError, match="not among"):
        tool_choice_to_wire("rain", [WEATHER])
    with pytest.raises(InvalidRequestError, match="needs tools"):
        chat_body(ChatRequest(model="m", messages=[], tool_choice="required"), "m")


def test_response_format_shapes() -> None:
    assert response_format_to_wire(None) is None
    assert response_format_to_wire(ResponseFormat("text")) is None
    assert response_format_to_wire(ResponseFormat("json_object")) == {"type": "json_object"}
    schema = {"title": "City answer!", "type": "object", "properties": {"city": {"type": "string"}}}
    assert response_format_to_wire(ResponseFormat("json_schema", schema)) == {
        "type": "json_schema",
        "json_schema": {"name": "City_answer_", "schema": schema},
    }
    wrapped = {"name": "city", "schema": schema, "strict": True}
    assert response_format_to_wire(ResponseFormat("json_schema", wrapped)) == {
        "type": "json_schema",
        "json_schema": wrapped,
    }
    assert response_format_to_wire(ResponseFormat("json_schema", None)) == {"type": "json_object"}


def test_completion_and_embeddings_bodies() -> None:
    req = CompletionRequest(
        model="m", prompt="Once", sampling=SamplingParams(max_tokens=5), response_format=ResponseFormat("json_object")
    )
    assert completion_body(req, "up") == {
        "model": "up",
        "prompt": "Once",
        "max_tokens": 5,
        "response_format": {"type": "json_object"},
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    assert embeddings_body(("a", "b"), "e5") == {"model": "e5", "input": ["a", "b"], "encoding_format": "float"}


def test_parse_sse_line() -> None:
    assert parse_sse_line('data: {"a": 1}') == {"a": 1}
    assert parse_sse_line('data:{"a": 1}') == {"a": 1}
    for ignored in ("", ": keep-alive", "event: message", "data: [DONE]"):
        assert parse_sse_line(ignored) is None
    with pytest.raises(UpstreamError, match="not JSON"):
        parse_sse_line("data: {oops")
    with pytest.raises(UpstreamError, match="not an object"):
        parse_sse_line("data: [1, 2]")


def _delta(delta: dict, finish: str | None = None) -> dict:
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def test_decoder_text_then_usage_in_final_chunk() -> None:
    dec = StreamDecoder()
    assert dec.feed(_delta({"role": "assistant", "content": ""})) == []
    assert [c.text for c in dec.feed(_delta({"content": "Azul"}))] == ["Azul"]
    assert dec.feed(_delta({}, "stop")) == []  # finish is held until the usage event
    assert dec.feed({"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 2}}) == []
    last = dec.finish()
    assert last.finish_reason == "stop"
    assert last.usage == Usage(5, 2)
    assert last.tool_calls is None


def test_decoder_assembles_tool_calls_by_index() -> None:
    dec = StreamDecoder(new_id=lambda: "call_generated")
    events = [
        _delta({"tool_calls": [{"index": 0, "id": "call_a", "function": {"name": "weather", "arguments": ""}}]}),
        _delta({"tool_calls": [{"index": 1, "function": {"name": "time", "arguments": "{}"}}]}),
        _delta({"tool_calls": [{"index": 0, "function": {"arguments": '{"city": '}}]}),
        _delta({"tool_calls": [{"index": 0, "function": {"arguments": '"Agadir"}'}}]}),
    ]
    for event in events:
        assert dec.feed(event) == []  # nothing is released half-built
    [chunk] = dec.feed(_delta({}, "tool_calls"))
    assert chunk.tool_calls == [
        ToolCall("call_a", "weather", '{"city": "Agadir"}'),
        ToolCall("call_generated", "time", "{}"),
    ]
    last = dec.finish()
    assert last.finish_reason == "tool_calls" and last.tool_calls is None and last.usage == Usage()


def test_decoder_releases_calls_at_end_when_upstream_never_finishes() -> None:
    dec = StreamDecoder()
    dec.feed(_delta({"tool_calls": [{"index": 0, "id": "c", "function": {"name": "f", "arguments": {"x": 1}}}]}))
    last = dec.finish()
    assert last.tool_calls == [ToolCall("c", "f", '{"x": 1}')]
    assert last.finish_reason == "tool_calls"


def test_decoder_reads_whole_answers_and_legacy_completions() -> None:
    dec = StreamDecoder()
    whole = {
        "choices": [{"index": 0, "finish_reason": "length", "message": {"role": "assistant", "content": "ok"}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1},
    }
    assert [c.text for c in dec.feed(whole)] == ["ok"]
    assert dec.finish().finish_reason == "length"
    legacy = StreamDecoder()
    assert [c.text for c in legacy.feed({"choices": [{"index": 0, "text": "Once"}]})] == ["Once"]


def test_decoder_mid_stream_error_event() -> None:
    with pytest.raises(UpstreamError, match="out of memory"):
        StreamDecoder().feed({"error": {"message": "CUDA out of memory", "code": 500}})


def test_finish_reason_mapping() -> None:
    assert finish_reason(None) is None
    assert finish_reason("function_call") == "tool_calls"
    assert finish_reason("content_filter") == "stop"
    assert finish_reason("something_new") == "stop"


def test_error_message_shapes() -> None:
    assert error_message(b'{"error": {"message": "bad temperature"}}', 400) == "bad temperature"
    assert error_message(b'{"detail": "Not Found"}', 404) == "Not Found"
    assert error_message(b'{"error": "model not loaded"}', 500) == "model not loaded"
    assert error_message(b"Internal Server Error", 500) == "Internal Server Error"
    assert error_message(b"", 502) == "HTTP 502"


def test_parse_embeddings_orders_by_index_and_normalises() -> None:
    payload = {"data": [{"index": 1, "embedding": [0.0, 2.0]}, {"index": 0, "embedding": [3.0, 4.0]}]}
    vectors = parse_embeddings(payload, 2)
    assert vectors == [[0.6, 0.8], [0.0, 1.0]]
    assert all(math.isclose(sum(x * x for x in v), 1.0) for v in vectors)
    with pytest.raises(UpstreamError, match="expected 3"):
        parse_embeddings(payload, 3)
    with pytest.raises(UpstreamError, match="without"):
        parse_embeddings({"data": [{"index": 0}]}, 1)
