"""Pure request/response translation, OpenAI and Mistral shapes, without a server."""

from __future__ import annotations

import base64
import json
import struct

import pytest

from siyada.errors import InvalidRequestError
from siyada.serve import translate
from siyada.serve.schemas import ChatCompletionBody, CompletionBody
from siyada.types import ChatResult, Chunk, ToolCall, Usage


def chat(**kw: object) -> ChatCompletionBody:
    base: dict[str, object] = {"model": "m", "messages": [{"role": "user", "content": "salam"}]}
    return ChatCompletionBody.model_validate({**base, **kw})


def test_sampling_fields_and_mistral_random_seed() -> None:
    req = translate.chat_request(
        chat(
            max_tokens=5,
            temperature=0.3,
            top_p=0.9,
            stop="##",
            random_seed=4,
            presence_penalty=0.5,
            frequency_penalty=0.2,
        )
    )
    s = req.sampling
    assert (s.max_tokens, s.temperature, s.top_p, s.stop, s.seed) == (5, 0.3, 0.9, ["##"], 4)
    assert (s.presence_penalty, s.frequency_penalty) == (0.5, 0.2)
    assert translate.chat_request(chat(seed=1, random_seed=2)).sampling.seed == 1
    assert translate.chat_request(chat(max_completion_tokens=7, max_tokens=3)).sampling.max_tokens == 7


def test_roles_content_parts_and_tool_history() -> None:
    req = translate.chat_request(
        chat(
            messages=[
                {"role": "developer", "content": "be brief"},
                {"role": "user", "content": [{"type": "text", "text": "wach "}, {"type": "text", "text": "kayn?"}]},
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {"id": "abcDEF123", "type": "function", "function": {"name": "f", "arguments": {"x": 1}}}
                    ],
                },
                {"role": "tool", "tool_call_id": "abcDEF123", "content": "42"},
            ]
        )
    )
    roles = [m.role for m in req.messages]
    assert roles == ["system", "user", "assistant", "tool"]
    assert req.messages[1].content == "wach kayn?"
    assert req.messages[2].tool_calls == [ToolCall("abcDEF123", "f", '{"x": 1}')]


def test_safe_prompt_prepends_mistral_guardrail() -> None:
    req = translate.chat_request(chat(safe_prompt=True))
    assert req.messages[0].role == "system" and "Always assist with care" in (req.messages[0].content or "")


@pytest.mark.parametrize(
    "choice, expected",
    [
        (None, "auto"),
        ("auto", "auto"),
        ("none", "none"),
        ("required", "required"),
        ("any", "required"),
        ({"type": "function", "function": {"name": "f"}}, "f"),
    ],
)
def test_tool_choice_forms(choice: object, expected: str) -> None:
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    body = chat(tools=tools) if choice is None else chat(tools=tools, tool_choice=choice)
    req = translate.chat_request(body)
    assert req.tool_choice == expected and req.tools[0].name == "f"


def test_no_tools_means_no_tool_choice() -> None:
    assert translate.chat_request(chat()).tool_choice == "none"


def test_response_formats() -> None:
    assert translate.chat_request(chat(response_format={"type": "text"})).response_format is None
    assert translate.chat_request(chat(response_format={"type": "json_object"})).response_format.type == "json_object"  # type: ignore[union-attr]
    rf = translate.chat_request(
        chat(response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}})
    ).response_format
    assert rf is not None and rf.schema == {"type": "object"}
    with pytest.raises(InvalidRequestError):
        translate.chat_request(chat(response_format={"type": "json_schema", "json_schema": {"name": "x"}}))


def test_too_many_stops_and_multiple_prompts_are_refused() -> None:
    with pytest.raises(InvalidRequestError, match="16"):
        translate.chat_request(chat(stop=[str(i) for i in range(17)]))
    with pytest.raises(InvalidRequestError):
        translate.completion_request(CompletionBody(model="m", prompt=["a", "b"]))
    assert translate.completion_request(CompletionBody(model="m", prompt=["a"])).sampling.max_tokens == 16


def test_chat_completion_json_text_and_tool_calls() -> None:
    out = translate.chat_completion_json("id1", "m", ChatResult("hi", None, "stop", Usage(3, 1)), created=9)
    assert out["choices"][0]["message"] == {"role": "assistant", "content": "hi"}
    assert out["usage"] == {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}
    out = translate.chat_completion_json(
        "id1", "m", ChatResult("", [ToolCall("a1b2c3d4e", "f", "{}")], "tool_calls", Usage()), created=9
    )
    msg = out["choices"][0]["message"]
    assert msg["content"] is None and msg["tool_calls"][0] == {
        "index": 0,
        "id": "a1b2c3d4e",
        "type": "function",
        "function": {"name": "f", "arguments": "{}"},
    }


def test_stream_chunks() -> None:
    delta = translate.chunk_delta(Chunk(text="x", tool_calls=[ToolCall("a1b2c3d4e", "f", "{}")]))
    assert delta["content"] == "x" and delta["tool_calls"][0]["function"]["name"] == "f"
    usage_only = translate.chat_chunk_json("c", "m", 1, usage=Usage(1, 2), with_choice=False)
    assert usage_only["choices"] == [] and usage_only["usage"]["total_tokens"] == 3
    final = translate.completion_chunk_json("c", "m", 1, text="", finish_reason="length")
    assert final["choices"][0]["finish_reason"] == "length"


def test_embeddings_json_float_and_base64() -> None:
    assert translate.embedding_inputs(None, "a") == ["a"]
    with pytest.raises(InvalidRequestError):
        translate.embedding_inputs(None, None)
    out = translate.embeddings_json("e", [[0.5, -1.0]], 2)
    assert out["id"] and out["data"][0]["embedding"] == [0.5, -1.0] and out["usage"]["total_tokens"] == 2
    b64 = translate.embeddings_json("e", [[0.5, -1.0]], 2, "base64")["data"][0]["embedding"]
    assert struct.unpack("<2f", base64.b64decode(b64)) == (0.5, -1.0)
    json.dumps(out)
