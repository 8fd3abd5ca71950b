"""The official openai and mistralai Python clients, unchanged, against a live server."""

from __future__ import annotations

import json
from typing import Any

import pytest

TOOL = {
    "type": "function",
    "function": {
        "name": "get_rate",
        "description": "Exchange rate",
        "parameters": {"type": "object", "properties": {"pair": {"type": "string"}}},
    },
}


@pytest.fixture
def server(make_app: Any, live_server: Any) -> Any:
    app, _ = make_app()
    return live_server(app)


@pytest.fixture
def tool_server(make_app: Any, live_server: Any) -> Any:
    app, _ = make_app(script=[{"tool_calls": [{"name": "get_rate", "arguments": {"pair": "EUR/MAD"}}]}])
    return live_server(app)


def _openai(url: str) -> Any:
    from openai import OpenAI

    return OpenAI(base_url=url + "/v1", api_key="local", max_retries=0)


def _mistral(url: str) -> Any:
    from mistralai.client import Mistral

    return Mistral(api_key="local", server_url=url)


def test_openai_chat_stream_and_not(server: Any) -> None:
    client = _openai(server.url)
    r = client.chat.completions.create(model="fake", messages=[{"role": "user", "content": "salam"}])
    assert r.choices[0].message.content == "echo: salam" and r.usage.total_tokens == 3
    parts = []
    usage = None
    for chunk in client.chat.completions.create(
        model="fake",
        stream=True,
        stream_options={"include_usage": True},
        messages=[{"role": "user", "content": "labas 3lik"}],
    ):
        if chunk.choices and chunk.choices[0].delta.content:
            parts.append(chunk.choices[0].delta.content)
        if chunk.usage:
            usage = chunk.usage
    assert "".join(parts) == "echo: labas 3lik" and usage is not None and usage.completion_tokens == 3


def test_openai_completions_embeddings_models_errors(server: Any) -> None:
    import openai

    client = _openai(server.url)
    assert client.completions.create(model="fake", prompt="abc").choices[0].text == "echo: abc"
    emb = client.embeddings.create(model="fake-embed", input=["x", "y"])
    assert len(emb.data) == 2 and len(emb.data[0].embedding) == 16
    assert {m.id for m in client.models.list()} == {"fake", "fake-embed"}
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="nope", messages=[{"role": "user", "content": "x"}])
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="fake", messages=[], temperature=1)


def test_openai_tool_call_round_trip(tool_server: Any) -> None:
    client = _openai(tool_server.url)
    r = client.chat.completions.create(
        model="fake", tools=[TOOL], tool_choice="required", messages=[{"role": "user", "content": "rate?"}]
    )
    call = r.choices[0].message.tool_calls[0]
    assert call.function.name == "get_rate" and json.loads(call.function.arguments) == {"pair": "EUR/MAD"}
    # the call and its result can be sent back
    r2 = client.chat.completions.create(
        model="fake",
        tools=[TOOL],
        messages=[
            {"role": "user", "content": "rate?"},
            r.choices[0].message.model_dump(exclude_none=True),
            {"role": "tool", "tool_call_id": call.id, "content": "10.8"},
        ],
    )
    assert r2.choices[0].finish_reason == "tool_calls"
    streamed = [
        c
        for c in client.chat.completions.create(
            model="fake", tools=[TOOL], stream=True, messages=[{"role": "user", "content": "rate?"}]
        )
    ]
    calls = [tc for c in streamed if c.choices for tc in (c.choices[0].delta.tool_calls or [])]
    assert calls and calls[0].function.name == "get_rate"


def test_mistral_chat_stream_and_not(server: Any) -> None:
    client = _mistral(server.url)
    r = client.chat.complete(
        model="fake", messages=[{"role": "user", "content": "salam"}], random_seed=7, safe_prompt=True
    )
    assert r.choices[0].message.content == "echo: salam"
    parts = []
    for event in client.chat.stream(model="fake", messages=[{"role": "user", "content": "wach nta mzyan"}]):
        delta = event.data.choices[0].delta.content if event.data.choices else None
        if isinstance(delta, str):
            parts.append(delta)
    assert "".join(parts) == "echo: wach nta mzyan"


def test_mistral_tools_any_and_embeddings(tool_server: Any) -> None:
    client = _mistral(tool_server.url)
    r = client.chat.complete(
        model="fake", tools=[TOOL], tool_choice="any", messages=[{"role": "user", "content": "rate?"}]
    )
    call = r.choices[0].message.tool_calls[0]
    assert call.function.name == "get_rate" and len(call.id) == 9
    # Mistral validates the id of a tool call sent back in the history.
    r2 = client.chat.complete(
        model="fake",
        tools=[TOOL],
        messages=[
            {"role": "user", "content": "rate?"},
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {
                        "id": call.id,
                        "type": "function",
                        "function": {"name": "get_rate", "arguments": call.function.arguments},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": call.id, "name": "get_rate", "content": "10.8"},
        ],
    )
    assert r2.choices[0].finish_reason == "tool_calls"
    emb = client.embeddings.create(model="fake-embed", inputs=["salam", "bonjour"])
    assert emb.id and len(emb.data) == 2 and len(emb.data[1].embedding) == 16


def test_mistral_error_is_raised_cleanly(server: Any) -> None:
    client = _mistral(server.url)
    with pytest.raises(Exception) as info:
        client.chat.complete(model="nope", messages=[{"role": "user", "content": "x"}])
    assert "404" in str(info.value) or "nope" in str(info.value)
