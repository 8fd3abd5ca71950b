"""The ``openai`` backend and embedder against real fake upstreams (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import math
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from siyada.backends.base import collect
from siyada.backends.openai_compat import OpenAICompatBackend, OpenAICompatEmbedder
from siyada.backends.registry import ModelRegistry
from siyada.errors import (
    ConfigError,
    InvalidRequestError,
    ModelUnavailableError,
    OverloadedError,
    UpstreamError,
)
from siyada.settings import ModelConfig, Settings
from siyada.types import ChatRequest, Chunk, CompletionRequest, Message, ToolCall, ToolSpec, Usage

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_upstream import FakeUpstream, free_port

WEATHER = ToolSpec(name="weather", parameters={"type": "object", "properties": {"city": {"type": "string"}}})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, upstream_timeout_s=5.0, health_interval_s=0)


@pytest.fixture
def up() -> Iterator[FakeUpstream]:
    with FakeUpstream("qwen-remote") as server:
        yield server


@pytest.fixture
def up2() -> Iterator[FakeUpstream]:
    with FakeUpstream("qwen-remote") as server:
        yield server


def closed_url() -> str:
    return f"http://127.0.0.1:{free_port()}/v1"


def make(settings: Settings, urls: list[str], **params: Any) -> OpenAICompatBackend:
    cfg = ModelConfig(name="up", backend="openai", params={"base_urls": urls, **params})
    return OpenAICompatBackend(cfg, settings)


def ask(text: str = "salam", **kw: Any) -> ChatRequest:
    return ChatRequest(model="up", messages=[Message("user", text)], **kw)


async def drain(stream: AsyncIterator[Chunk]) -> list[Chunk]:
    return [chunk async for chunk in stream]


async def wait_for(predicate: Any, seconds: float = 5.0) -> bool:
    for _ in range(int(seconds / 0.02)):
        if predicate():
            return True
        await asyncio.sleep(0.02)
    return bool(predicate())


# --- generation --------------------------------------------------------------------------------


async def test_streams_text_and_usage(settings: Settings, up: FakeUpstream) -> None:
    backend = make(settings, [up.url], model="qwen-remote")
    chunks = await drain(backend.chat(ask()))
    assert [c.text for c in chunks if c.text] == ["Salam", " u", " alikoum", "!"]
    assert chunks[-1].finish_reason == "stop" and chunks[-1].usage == Usage(7, 4)
    body = up.requests[-1]["body"]
    assert body["model"] == "qwen-remote" and body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    await backend.aclose()


async def test_chunks_are_passed_on_before_the_upstream_finishes(settings: Settings, up: FakeUpstream) -> None:
    up.script.chunk_delay_s = 0.3
    backend = make(settings, [up.url])
    stream = backend.chat(ask())
    first = await anext(stream)
    assert first.text == "Salam"
    assert up.finished_streams == 0  # the upstream is still generating
    rest = await drain(stream)
    assert "".join(c.text for c in [first, *rest]) == "Salam u alikoum!"
    await backend.aclose()


async def test_tool_call_arrives_whole(settings: Settings, up: FakeUpstream) -> None:
    up.script.tool_call = ("weather", '{"city": "Rabat"}')
    backend = make(settings, [up.url])
    chunks = await drain(backend.chat(ask("chta f Rabat?", tools=[WEATHER], tool_choice="weather")))
    with_calls = [c for c in chunks if c.tool_calls]
    assert len(with_calls) == 1
    assert with_calls[0].tool_calls == [ToolCall("call_fake1", "weather", '{"city": "Rabat"}')]
    assert chunks[-1].finish_reason == "tool_calls"
    assert up.requests[-1]["body"]["tool_choice"] == {"type": "function", "function": {"name": "weather"}}
    await backend.aclose()


async def test_completions(settings: Settings, up: FakeUpstream) -> None:
    backend = make(settings, [up.url])
    result = await collect(backend.complete(CompletionRequest(model="up", prompt="Kan ya ma kan")))
    assert result.text == "Salam u alikoum!" and result.finish_reason == "length"
    assert result.usage == Usage(3, 4)
    assert up.paths() == ["/v1/completions"] and up.requests[0]["body"]["prompt"] == "Kan ya ma kan"
    await backend.aclose()


async def test_server_without_stream_options_is_asked_again_and_remembered(
    settings: Settings, up: FakeUpstream
) -> None:
    up.script.reject_stream_options = True
    backend = make(settings, [up.url])
    for _ in range(2):
        result = await collect(backend.chat(ask()))
        assert result.text == "Salam u alikoum!" and result.usage == Usage()
    assert ["stream_options" in r["body"] for r in up.requests] == [True, False, False]
    await backend.aclose()


async def test_upstream_that_ignores_stream_is_read_whole(settings: Settings, up: FakeUpstream) -> None:
    up.script.ignore_stream = True
    backend = make(settings, [up.url])
    result = await collect(backend.chat(ask()))
    assert result.text == "Salam u alikoum!" and result.usage == Usage(7, 4)
    up.script.tool_call = ("weather", '{"city": "Tanja"}')
    result = await collect(backend.chat(ask(tools=[WEATHER])))
    assert result.tool_calls == [ToolCall("call_fake1", "weather", '{"city": "Tanja"}')]
    assert result.finish_reason == "tool_calls"
    await backend.aclose()


async def test_api_key_and_headers_are_sent(
    settings: Settings, up: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UP_KEY", "s3cret")
    backend = make(settings, [up.url], api_key_env="UP_KEY", headers={"X-Org": "ONEE"})
    await collect(backend.chat(ask()))
    headers = up.requests[-1]["headers"]
    assert headers["authorization"] == "Bearer s3cret" and headers["x-org"] == "ONEE"
    await backend.aclose()


# --- the pool ----------------------------------------------------------------------------------


async def test_round_robin_across_two_live_upstreams(settings: Settings, up: FakeUpstream, up2: FakeUpstream) -> None:
    backend = make(settings, [up.url, up2.url])
    for _ in range(4):
        assert (await collect(backend.chat(ask()))).text == "Salam u alikoum!"
    assert len(up.requests) == 2 and len(up2.requests) == 2
    await backend.aclose()


async def test_fail_over_when_one_is_down(settings: Settings, up: FakeUpstream) -> None:
    dead = closed_url()
    backend = make(settings, [dead, up.url])
    for _ in range(3):
        assert (await collect(backend.chat(ask()))).text == "Salam u alikoum!"
    status = {s.url: s for s in backend.upstreams()}
    assert not status[dead].healthy and status[dead].failures == 1  # skipped once marked down
    assert "refused" in (status[dead].last_error or "")
    assert len(up.requests) == 3
    await backend.aclose()


async def test_all_down_is_model_unavailable_naming_what_was_tried(settings: Settings) -> None:
    urls = [closed_url(), closed_url()]
    backend = make(settings, urls)
    with pytest.raises(ModelUnavailableError) as info:
        await drain(backend.chat(ask()))
    assert info.value.status_code == 503
    assert "'up'" in info.value.message and all(u in info.value.message for u in urls)
    await backend.aclose()


async def test_5xx_fails_over_without_marking_down(settings: Settings, up: FakeUpstream, up2: FakeUpstream) -> None:
    up.script.status = 500
    backend = make(settings, [up.url, up2.url])
    for _ in range(2):
        assert (await collect(backend.chat(ask()))).text == "Salam u alikoum!"
    assert all(s.healthy for s in backend.upstreams())
    up2.script.status = 503
    with pytest.raises(UpstreamError) as info:
        await drain(backend.chat(ask()))
    assert info.value.status_code == 502 and "scripted failure" in info.value.message
    await backend.aclose()


async def test_4xx_is_the_clients_error_and_not_retried(
    settings: Settings, up: FakeUpstream, up2: FakeUpstream
) -> None:
    for server in (up, up2):
        server.script.status, server.script.message = 400, "temperature must be <= 2"
    backend = make(settings, [up.url, up2.url])
    with pytest.raises(InvalidRequestError, match="temperature must be <= 2") as info:
        await drain(backend.chat(ask()))
    assert info.value.status_code == 400
    assert len(up.requests) + len(up2.requests) == 1
    await backend.aclose()


@pytest.mark.parametrize(
    ("status", "error", "hint"),
    [(401, UpstreamError, "api_key"), (404, UpstreamError, "/v1"), (429, OverloadedError, "rate-limiting")],
)
async def test_upstream_status_mapping(
    settings: Settings, up: FakeUpstream, status: int, error: type[Exception], hint: str
) -> None:
    up.script.status = status
    backend = make(settings, [up.url])
    with pytest.raises(error, match=hint):
        await drain(backend.chat(ask()))
    await backend.aclose()


async def test_health_check_brings_a_url_back(settings: Settings, up: FakeUpstream) -> None:
    port = free_port()
    late = f"http://127.0.0.1:{port}/v1"
    backend = make(settings, [late, up.url])
    await collect(backend.chat(ask()))
    assert await backend.check_once() == {late: False, up.url: True}
    with FakeUpstream("qwen-remote", port=port) as revived:
        assert await backend.check_once() == {late: True, up.url: True}
        for _ in range(2):
            await collect(backend.chat(ask()))
        assert revived.paths().count("/v1/chat/completions") == 1  # back in the rotation
    await backend.aclose()


async def test_unhealthy_status_marks_down(settings: Settings, up: FakeUpstream) -> None:
    up.script.healthy = False
    backend = make(settings, [up.url])
    assert await backend.check_once() == {up.url: False}
    up.script.healthy = True
    assert await backend.check_once() == {up.url: True}
    assert up.paths() == ["/v1/models", "/v1/models"]
    await backend.aclose()


async def test_periodic_health_task_starts_on_use_and_stops_on_aclose(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, upstream_timeout_s=5.0, health_interval_s=0.05)
    port = free_port()
    with FakeUpstream(port=free_port()) as live:
        backend = make(settings, [f"http://127.0.0.1:{port}/v1", live.url])
        assert not backend.monitor.running
        await collect(backend.chat(ask()))
        assert backend.monitor.running
        with FakeUpstream(port=port):
            assert await wait_for(lambda: all(s.healthy for s in backend.upstreams()))
        await backend.aclose()
        assert not backend.monitor.running


# --- cancellation and timeouts -------------------------------------------------------------------


async def test_aclose_mid_stream_closes_the_upstream(settings: Settings, up: FakeUpstream) -> None:
    up.script.endless = True
    backend = make(settings, [up.url])
    stream = backend.chat(ask())
    assert (await anext(stream)).text == "la "
    assert (await anext(stream)).text == "la "
    await stream.aclose()  # type: ignore[attr-defined]
    assert await wait_for(up.cancelled.is_set), "the upstream kept generating after the client left"
    await backend.aclose()


async def test_timeout_before_any_answer(settings: Settings, up: FakeUpstream, up2: FakeUpstream) -> None:
    up.script.delay_s = 3
    backend = make(settings, [up.url], timeout_s=0.3)
    with pytest.raises(ModelUnavailableError, match=r"no answer within 0\.3s"):
        await drain(backend.chat(ask()))
    await backend.aclose()
    both = make(settings, [up.url, up2.url], timeout_s=0.3)
    assert (await collect(both.chat(ask()))).text == "Salam u alikoum!"  # failed over to the quick one
    await both.aclose()


async def test_stall_mid_stream_is_an_upstream_error(settings: Settings, up: FakeUpstream) -> None:
    up.script.stall_after_first_s = 3
    backend = make(settings, [up.url], timeout_s=0.3)
    stream = backend.chat(ask())
    assert (await anext(stream)).text == "Salam"
    with pytest.raises(UpstreamError, match="broke off mid-answer") as info:
        await drain(stream)
    assert info.value.status_code == 502
    await backend.aclose()


# --- configuration -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "no upstream"),
        ({"base_url": "10.0.0.5:8000/v1"}, "http://"),
        ({"base_url": "http://x/v1", "base_ulr": "typo"}, "params.base_ulr"),
        ({"base_url": "http://x/v1", "api_key_env": "SIYADA_TEST_UNSET_KEY"}, "SIYADA_TEST_UNSET_KEY"),
        ({"base_url": "http://x/v1", "timeout_s": -1}, "params.timeout_s"),
    ],
)
def test_bad_params_name_the_model_and_field(settings: Settings, params: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match="model 'up'") as info:
        OpenAICompatBackend(ModelConfig(name="up", backend="openai", params=params), settings)
    assert message in info.value.message


def test_registry_builds_the_openai_backend(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path, models=[ModelConfig(name="up", backend="openai", params={"base_url": "http://127.0.0.1:9/v1/"})]
    )
    backend = ModelRegistry(settings).backend("up")
    assert isinstance(backend, OpenAICompatBackend)
    assert backend.params.urls == ["http://127.0.0.1:9/v1"] and backend.params.upstream_model == "up"
    one = OpenAICompatBackend(
        ModelConfig(name="x", backend="openai", params={"base_url": "http://a/v1", "base_urls": " http://b/v1 "}),
        settings,
    )
    assert one.params.urls == ["http://a/v1", "http://b/v1"]


def test_invalid_request_fails_before_any_network(settings: Settings) -> None:
    backend = make(settings, [closed_url()])
    with pytest.raises(InvalidRequestError, match="needs tools"):
        asyncio.run(drain(backend.chat(ask(tool_choice="required"))))
    assert all(s.healthy for s in backend.upstreams())


# --- embeddings --------------------------------------------------------------------------------


def embedder(settings: Settings, urls: list[str], **params: Any) -> OpenAICompatEmbedder:
    cfg = ModelConfig(name="e5-remote", backend="openai", kind="embedding", params={"base_urls": urls, **params})
    return OpenAICompatEmbedder(cfg, settings)


def test_embeddings_prefixes_batches_and_unit_vectors(settings: Settings, up: FakeUpstream) -> None:
    emb = embedder(settings, [up.url], prefix_query="query: ", prefix_passage="passage: ", batch_size=2)
    texts = ["Azul", "ⴰⵣⵓⵍ", "salam", "Bonjour", "مرحبا"]
    vectors = emb.embed(texts, kind="passage")
    assert len(vectors) == 5 and emb.dim == 8
    assert all(math.isclose(sum(x * x for x in v), 1.0) for v in vectors)
    raw = up.vector("passage: ⴰⵣⵓⵍ")
    norm = math.sqrt(sum(x * x for x in raw))
    assert vectors[1] == pytest.approx([x / norm for x in raw])
    assert [len(r["body"]["input"]) for r in up.requests] == [2, 2, 1]
    emb.embed(["wach"], kind="query")
    assert up.requests[-1]["body"]["input"] == ["query: wach"]
    assert emb.embed([]) == []
    emb.close()


def test_embedding_dim_is_probed_once_or_taken_from_params(settings: Settings, up: FakeUpstream) -> None:
    probed = embedder(settings, [up.url])
    assert probed.dim == 8 and probed.dim == 8
    assert len(up.requests) == 1
    given = embedder(settings, [up.url], dim=8)
    assert given.dim == 8 and len(up.requests) == 1
    wrong = embedder(settings, [up.url], dim=16)
    with pytest.raises(UpstreamError, match="8-dimensional"):
        wrong.embed(["x"])


def test_embeddings_fail_over_and_all_down(settings: Settings, up: FakeUpstream) -> None:
    dead = closed_url()
    emb = embedder(settings, [dead, up.url])
    assert len(emb.embed(["a"])) == 1 and len(emb.embed(["b"])) == 1
    assert [s.healthy for s in emb.pool.snapshot()] == [False, True]
    nothing = embedder(settings, [closed_url()])
    with pytest.raises(ModelUnavailableError, match="e5-remote"):
        nothing.embed(["a"])
    up.script.status, up.script.message = 400, "input too long"
    with pytest.raises(InvalidRequestError, match="input too long"):
        embedder(settings, [up.url]).embed(["a"])


# --- end to end through the gateway --------------------------------------------------------------


def test_gateway_serves_a_remote_model_to_the_openai_sdk(tmp_path: Path, up: FakeUpstream) -> None:
    openai = pytest.importorskip("openai")
    from fastapi.testclient import TestClient

    from siyada.serve.app import create_app

    dead = closed_url()
    settings = Settings(
        home=tmp_path,
        health_interval_s=0,
        load_sample_agents=False,
        models=[
            ModelConfig(name="up", backend="openai", params={"base_urls": [dead, up.url], "model": "qwen-remote"}),
            ModelConfig(name="e5-remote", backend="openai", kind="embedding", params={"base_url": up.url}),
        ],
    )
    with TestClient(create_app(settings)) as http:
        client = openai.OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=http)
        whole = client.chat.completions.create(model="up", messages=[{"role": "user", "content": "salam"}])
        assert whole.choices[0].message.content == "Salam u alikoum!"
        assert whole.usage is not None and whole.usage.prompt_tokens == 7
        stream = client.chat.completions.create(
            model="up",
            messages=[{"role": "user", "content": "salam"}],
            stream=True,
            stream_options={"include_usage": True},
        )
        events = list(stream)
        text = "".join(e.choices[0].delta.content or "" for e in events if e.choices)
        assert text == "Salam u alikoum!" and events[-1].usage is not None
        assert up.requests[-1]["body"]["model"] == "qwen-remote"
        vectors = client.embeddings.create(model="e5-remote", input=["Azul", "salam"])
        assert [len(v.embedding) for v in vectors.data] == [8, 8]
    down = Settings(
        home=tmp_path,
        health_interval_s=0,
        load_sample_agents=False,
        models=[ModelConfig(name="up", backend="openai", params={"base_url": dead})],
    )
    with TestClient(create_app(down)) as http:
        answer = http.post(
            "/v1/chat/completions",
            json={"model": "up", "messages": [{"role": "user", "content": "salam"}], "stream": True},
        )
        assert answer.status_code == 503
        assert dead in answer.text


def test_documented_config_example_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from siyada.backends.upstream_params import parse_params
    from siyada.settings import load_settings

    doc = (Path(__file__).resolve().parents[2] / "docs" / "upstreams.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    config = tmp_path / "config.yaml"
    config.write_text(example, encoding="utf-8")
    monkeypatch.setenv("SIYADA_HOME", str(tmp_path))
    monkeypatch.setenv("VLLM_API_KEY", "k")
    settings = load_settings(config)
    parsed = {m.name: parse_params(m, settings) for m in settings.models}
    assert parsed["qwen-7b"].urls == ["http://10.0.0.5:8000/v1", "http://10.0.0.6:8000/v1"]
    assert parsed["qwen-7b"].headers["Authorization"] == "Bearer k"
    assert parsed["e5-remote"].dim == 1024 and parsed["e5-remote"].prefix_query == "query: "
    registry = ModelRegistry(settings)
    assert isinstance(registry.embedder("e5-remote"), OpenAICompatEmbedder)
