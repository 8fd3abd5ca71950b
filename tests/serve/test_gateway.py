"""The gateway's HTTP behaviour over the fake backend: shapes, streaming, and every bad input."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient


def _sse_events(text: str) -> list[Any]:
    events = []
    for block in text.strip().split("\n\n"):
        assert block.startswith("data: "), block
        payload = block[len("data: ") :]
        events.append(payload if payload == "[DONE]" else json.loads(payload))
    return events


def test_models_lists_registry_with_labels(client: TestClient) -> None:
    data = client.get("/v1/models").json()
    assert data["object"] == "list"
    names = {m["id"]: m for m in data["data"]}
    assert set(names) == {"fake", "fake-embed"}
    assert names["fake"]["labels"] == {"location": "local"}
    assert client.get("/v1/models/fake").json()["kind"] == "chat"
    assert client.get("/v1/models/nope").status_code == 404


def test_chat_non_streaming(client: TestClient) -> None:
    r = client.post("/v1/chat/completions", json={"model": "fake", "messages": [{"role": "user", "content": "salam"}]})
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion"
    assert body["choices"][0]["message"] == {"role": "assistant", "content": "echo: salam"}
    assert body["choices"][0]["finish_reason"] == "stop"
    assert body["usage"] == {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}


def test_chat_streaming_ends_with_done_and_usage(client: TestClient) -> None:
    body = {
        "model": "fake",
        "stream": True,
        "stream_options": {"include_usage": True},
        "messages": [{"role": "user", "content": "wach kayn chi 7al"}],
    }
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    events = _sse_events(r.text)
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == "echo: wach kayn chi 7al"
    finals = [c for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
    assert finals and finals[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 5


def test_streaming_without_include_usage_has_no_usage_chunk(client: TestClient) -> None:
    r = client.post(
        "/v1/chat/completions", json={"model": "fake", "stream": True, "messages": [{"role": "user", "content": "a"}]}
    )
    events = _sse_events(r.text)
    assert all("usage" not in e for e in events[:-1])


def test_tool_call_response_shape(make_app: Any) -> None:
    app, _ = make_app(script=[{"tool_calls": [{"name": "weather", "arguments": {"city": "Rabat"}}]}])
    tools = [{"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}}}]
    with TestClient(app) as c:
        r = c.post(
            "/v1/chat/completions",
            json={
                "model": "fake",
                "tools": tools,
                "tool_choice": "any",
                "messages": [{"role": "user", "content": "weather?"}],
            },
        )
    assert r.status_code == 200
    choice = r.json()["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    call = choice["message"]["tool_calls"][0]
    assert call["type"] == "function" and call["function"]["name"] == "weather"
    assert json.loads(call["function"]["arguments"]) == {"city": "Rabat"}
    assert len(call["id"]) == 9 and call["id"].isalnum()
    assert choice["message"]["content"] is None


def test_completions_and_echo(client: TestClient) -> None:
    r = client.post("/v1/completions", json={"model": "fake", "prompt": "Once upon"})
    assert r.status_code == 200
    assert r.json()["choices"][0]["text"] == "echo: Once upon"
    r = client.post("/v1/completions", json={"model": "fake", "prompt": "x", "stream": True})
    events = _sse_events(r.text)
    assert events[-1] == "[DONE]" and events[0]["object"] == "text_completion"


def test_max_tokens_gives_length(client: TestClient) -> None:
    r = client.post(
        "/v1/chat/completions",
        json={"model": "fake", "max_tokens": 1, "messages": [{"role": "user", "content": "one two three"}]},
    )
    assert r.json()["choices"][0]["finish_reason"] == "length"
    assert r.json()["choices"][0]["message"]["content"] == "echo:"


def test_embeddings_openai_and_mistral_spelling(client: TestClient) -> None:
    r = client.post("/v1/embeddings", json={"model": "fake-embed", "input": ["a b", "c"]})
    assert r.status_code == 200
    body = r.json()
    assert body["id"] and body["object"] == "list" and len(body["data"]) == 2
    assert len(body["data"][0]["embedding"]) == 16
    r2 = client.post("/v1/embeddings", json={"model": "fake-embed", "inputs": "a b"})
    assert r2.json()["data"][0]["embedding"] == body["data"][0]["embedding"]
    r3 = client.post("/v1/embeddings", json={"model": "fake-embed", "input": "a", "encoding_format": "base64"})
    assert isinstance(r3.json()["data"][0]["embedding"], str)


def test_health_and_metrics(client: TestClient) -> None:
    client.post("/v1/chat/completions", json={"model": "fake", "messages": [{"role": "user", "content": "x"}]})
    h = client.get("/health").json()
    assert h["status"] == "ok" and "fake" in h["loaded"]
    m = client.get("/metrics").text
    assert 'siyada_requests_total{route="/v1/chat/completions",status="200"} 1.0' in m
    assert "siyada_time_to_first_token_seconds_bucket" in m
    assert 'siyada_tokens_total{kind="completion",model="fake"}' in m
    assert 'siyada_queue_depth{model="fake"} 0.0' in m


# --- bad input -------------------------------------------------------------------------------


def _error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert body["error"]["message"]
    return body


def test_malformed_json_is_400(client: TestClient) -> None:
    r = client.post(
        "/v1/chat/completions", content=b'{"model": "fake", "messages": [', headers={"content-type": "application/json"}
    )
    assert _error(r, 400)["error"]["code"] == "invalid_json"


def test_validation_errors_are_422_with_detail(client: TestClient) -> None:
    cases = [
        {"model": "fake"},
        {"model": "fake", "messages": []},
        {"model": "fake", "messages": [{"role": "wizard", "content": "x"}]},
        {"model": "fake", "messages": [{"role": "user", "content": "x"}], "temperature": 5},
        {"model": "fake", "messages": [{"role": "user", "content": "x"}], "n": 3},
        {"model": "fake", "messages": [{"role": "user", "content": "x"}], "max_tokens": 0},
        {"model": "fake", "messages": [{"role": "user", "content": "x"}], "tool_choice": "sometimes"},
        {"model": "fake", "messages": "hello"},
        [1, 2, 3],
    ]
    for body in cases:
        r = client.post("/v1/chat/completions", json=body)
        payload = _error(r, 422)
        assert isinstance(payload["detail"], list) and payload["detail"], body


def test_unknown_model_is_404(client: TestClient) -> None:
    r = client.post("/v1/chat/completions", json={"model": "gpt-9", "messages": [{"role": "user", "content": "x"}]})
    body = _error(r, 404)
    assert body["error"]["code"] == "model_not_found" and "gpt-9" in body["error"]["message"]
    r = client.post("/v1/embeddings", json={"model": "fake", "input": "x"})  # a chat model
    _error(r, 404)


def test_body_over_limit_is_413(make_app: Any) -> None:
    app, _ = make_app(overrides={"max_body_bytes": 1000})
    with TestClient(app) as c:
        big = {"model": "fake", "messages": [{"role": "user", "content": "x" * 5000}]}
        _error(c.post("/v1/chat/completions", json=big), 413)
        # chunked body without content-length is counted too
        r = c.post(
            "/v1/chat/completions",
            content=iter([json.dumps(big).encode()]),
            headers={"content-type": "application/json"},
        )
        _error(r, 413)


def test_semantic_errors_are_400(client: TestClient) -> None:
    base = {"model": "fake", "messages": [{"role": "user", "content": "x"}]}
    cases = [
        {**base, "tool_choice": "required"},
        {
            **base,
            "tools": [{"type": "function", "function": {"name": "a"}}],
            "tool_choice": {"type": "function", "function": {"name": "b"}},
        },
        {**base, "response_format": {"type": "json_schema"}},
        {**base, "messages": [{"role": "tool", "content": "result"}]},
        {**base, "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]},
    ]
    for body in cases:
        _error(client.post("/v1/chat/completions", json=body), 400)
    _error(client.post("/v1/completions", json={"model": "fake", "prompt": ["a", "b"]}), 400)
    _error(client.post("/v1/embeddings", json={"model": "fake-embed"}), 400)
    _error(client.post("/v1/embeddings", json={"model": "fake-embed", "input": []}), 400)
    _error(client.post("/v1/embeddings", json={"model": "fake-embed", "input": "a", "dimensions": 3}), 400)


def test_unknown_route_and_method(client: TestClient) -> None:
    assert client.get("/v1/nothing").status_code == 404
    assert client.get("/v1/chat/completions").status_code == 405


def test_content_parts_and_mistral_fields_accepted(client: TestClient) -> None:
    r = client.post(
        "/v1/chat/completions",
        json={
            "model": "fake",
            "random_seed": 3,
            "safe_prompt": True,
            "stop": "###",
            "messages": [{"role": "user", "content": [{"type": "text", "text": "ahlan"}]}],
        },
    )
    assert r.status_code == 200
    assert r.json()["choices"][0]["message"]["content"] == "echo: ahlan"
