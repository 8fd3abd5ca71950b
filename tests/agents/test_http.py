"""Agents over HTTP: /v1/agents, and agent:<name> through /v1/chat/completions with the openai client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from siyada.backends.registry import ModelRegistry
from siyada.serve.app import create_app

from .conftest import MINI_SPEC, mini_settings


@pytest.fixture
def app(tmp_path: Path, mini_agents: Path) -> Any:
    settings = mini_settings(tmp_path / "home", mini_agents)
    return create_app(settings, ModelRegistry(settings))


@pytest.fixture
def client(app: Any) -> Any:
    with TestClient(app) as c:
        yield c


def test_list_agents(tmp_path: Path, mini_agents: Path) -> None:
    # Written before the app starts: its warm-up thread loads the catalog at start-up.
    (mini_agents / "broken.yaml").write_text("name: broken\n", encoding="utf-8")
    settings = mini_settings(tmp_path / "home", mini_agents)
    with TestClient(create_app(settings, ModelRegistry(settings))) as client:
        _check_listing(client)


def _check_listing(client: TestClient) -> None:
    r = client.get("/v1/agents")
    assert r.status_code == 200
    body = r.json()
    assert [a["id"] for a in body["data"]] == ["agent:mini"]
    mini = body["data"][0]
    assert mini["description"] and mini["examples"] == ["Comment bloquer ma carte ?"]
    assert mini["knowledge"] == ["mini-kb"]
    assert any("broken.yaml:1: description: required field is missing" in e for e in body["errors"])
    assert client.get("/v1/agents/agent:mini").json()["name"] == "mini"
    r = client.get("/v1/agents/nope")
    assert r.status_code == 404 and "does not exist" in r.json()["error"]["message"]


def test_chat_completion_with_citations(client: TestClient) -> None:
    r = client.post(
        "/v1/chat/completions",
        json={
            "model": "agent:mini",
            "messages": [{"role": "user", "content": "Comment bloquer ma carte bancaire perdue ?"}],
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == "agent:mini"
    text = body["choices"][0]["message"]["content"]
    assert "0522 48 48 48" in text and text.endswith("[1]")
    (cit,) = body["citations"]
    assert cit["index"] == 1 and cit["title"] == "Carte bloquée" and Path(cit["source"]).name == "carte.md"
    assert "0522" in cit["snippet"] and cit["chunk_id"]
    assert body["siyada"]["mode"] == "extractive" and body["siyada"]["language"] == "fra_Latn"


def test_streaming_puts_citations_in_the_last_chunk(client: TestClient) -> None:
    body = {
        "model": "agent:mini",
        "stream": True,
        "stream_options": {"include_usage": True},
        "messages": [{"role": "user", "content": "Quels sont les horaires des agences ?"}],
    }
    with client.stream("POST", "/v1/chat/completions", json=body) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        lines = [line.removeprefix("data: ") for line in r.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    events = [json.loads(x) for x in lines[:-1]]
    assert events[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(e["choices"][0]["delta"].get("content", "") for e in events if e["choices"])
    assert "8h15" in text
    last = next(e for e in events if "citations" in e)
    assert last["choices"][0]["finish_reason"] == "stop" and Path(last["citations"][0]["source"]).name == "horaires.md"
    assert events[-1]["choices"] == [] and events[-1]["usage"]["total_tokens"] == 0


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"model": "agent:nope", "messages": [{"role": "user", "content": "x"}]}, 404, "does not exist"),
        ({"model": "agent:mini", "messages": [{"role": "system", "content": "x"}]}, 400, "user message"),
        (
            {"model": "agent:mini", "messages": [{"role": "user", "content": "x"}], "answer_mode": "poetic"},
            400,
            "answer_mode",
        ),
    ],
)
def test_bad_requests(client: TestClient, body: dict[str, Any], status: int, fragment: str) -> None:
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == status and fragment in r.json()["error"]["message"]


def test_generative_agent_through_the_openai_client(tmp_path: Path, mini_agents: Path, live_server: Any) -> None:
    from openai import OpenAI

    spec = mini_agents / "mini" / "agent.yaml"
    spec.write_text(MINI_SPEC.format(mode="generative"), encoding="utf-8")
    script = [
        {"tool_calls": [{"name": "search_knowledge", "arguments": {"query": "bloquer carte"}}]},
        "Appelez le 0522 48 48 48 [1].",
    ]
    settings = mini_settings(tmp_path / "home", mini_agents, script)
    server = live_server(create_app(settings, ModelRegistry(settings)))
    client = OpenAI(base_url=server.url + "/v1", api_key="local", max_retries=0)
    q = [{"role": "user", "content": "Comment bloquer ma carte ?"}]
    r = client.chat.completions.create(model="agent:mini", messages=q)  # type: ignore[arg-type]
    assert r.choices[0].message.content == "Appelez le 0522 48 48 48 [1]."
    citations = (r.model_extra or {})["citations"]
    assert Path(citations[0]["source"]).name == "carte.md"
    assert (r.model_extra or {})["siyada"]["tool_calls"][0]["name"] == "search_knowledge"
    parts, cited = [], None
    for chunk in client.chat.completions.create(model="agent:mini", messages=q, stream=True):  # type: ignore[arg-type]
        if chunk.choices and chunk.choices[0].delta.content:
            parts.append(chunk.choices[0].delta.content)
        cited = (chunk.model_extra or {}).get("citations") or cited
    assert "".join(parts) == "Appelez le 0522 48 48 48 [1]." and cited and cited[0]["index"] == 1


class _Overloaded:
    """A backend whose queue is always full."""

    def chat(self, request: Any) -> Any:
        from siyada.errors import OverloadedError

        async def gen() -> Any:
            raise OverloadedError("the model is busy", retry_after=2)
            yield  # pragma: no cover  (makes this an async generator)

        return gen()

    async def aclose(self) -> None:
        return None


@pytest.mark.parametrize("stream", [False, True])
def test_a_busy_model_is_a_503_even_when_streaming(
    tmp_path: Path, mini_agents: Path, stream: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    (mini_agents / "mini" / "agent.yaml").write_text(MINI_SPEC.format(mode="generative"), encoding="utf-8")
    settings = mini_settings(tmp_path / "home", mini_agents)
    registry = ModelRegistry(settings)
    monkeypatch.setattr(registry, "backend", lambda name: _Overloaded())
    with TestClient(create_app(settings, registry)) as client:
        r = client.post(
            "/v1/chat/completions",
            json={
                "model": "agent:mini",
                "stream": stream,
                "messages": [{"role": "user", "content": "Comment bloquer ma carte ?"}],
            },
        )
    assert r.status_code == 503 and "busy" in r.json()["error"]["message"]
