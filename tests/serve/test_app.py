"""How the app is assembled: loopback by default, no telemetry, every router mounted."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


def test_no_telemetry_even_when_environment_asks(monkeypatch: pytest.MonkeyPatch, make_app: Any) -> None:
    monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.example:4318")
    app, _ = make_app()
    telemetry = getattr(app, "_telemetry", None)
    if telemetry is None:
        pytest.skip("this FastAPI has no built-in telemetry")
    assert not any(telemetry[k] for k in ("tracing", "metrics", "logs", "operation_spans", "auto_configure"))
    with TestClient(app) as c:
        assert c.get("/health").status_code == 200


def test_all_resources_are_routed(make_app: Any) -> None:
    app, _ = make_app()
    paths = set(app.openapi()["paths"])
    for p in (
        "/v1/models",
        "/v1/chat/completions",
        "/v1/completions",
        "/v1/embeddings",
        "/health",
        "/metrics",
        "/v1/lang/identify",
        "/v1/knowledge",
        "/v1/agents",
    ):
        assert p in paths, p
    with TestClient(app) as c:
        page = c.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]


def test_agents_are_listed_as_models(tmp_path: Any) -> None:
    from siyada.backends.registry import ModelRegistry
    from siyada.serve.app import create_app
    from siyada.settings import ModelConfig, load_settings

    # Sample agents on, but no embedder configured: they are listed without building their bases.
    settings = load_settings(home=tmp_path / "h", models=[ModelConfig(name="fake", backend="fake")])
    app = create_app(settings, ModelRegistry(settings))
    with TestClient(app) as c:
        ids = [m["id"] for m in c.get("/v1/models").json()["data"]]
        assert "fake" in ids and "agent:bank" in ids
        assert c.get("/v1/models/agent:bank").json()["kind"] == "agent"
        assert c.get("/v1/models/agent:nope").status_code == 404
