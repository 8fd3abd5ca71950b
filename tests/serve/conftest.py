"""An app over fake models: the gateway's logic without a real model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from siyada.backends.registry import ModelRegistry
from siyada.serve.app import create_app
from siyada.settings import ModelConfig, Settings, load_settings


def fake_settings(home: Path, overrides: dict[str, Any] | None = None, **params: Any) -> Settings:
    models = [
        ModelConfig(name="fake", backend="fake", params=params, labels={"location": "local"}),
        ModelConfig(name="fake-embed", backend="fake", kind="embedding", params={"dim": 16}),
    ]
    return load_settings(
        home=home,
        models=models,
        default_chat_model="fake",
        default_embedding_model="fake-embed",
        load_sample_agents=False,
        **(overrides or {}),
    )


@pytest.fixture
def make_app(tmp_path: Path) -> Any:
    def make(overrides: dict[str, Any] | None = None, **params: Any) -> tuple[Any, ModelRegistry]:
        settings = fake_settings(tmp_path / "home", overrides, **params)
        registry = ModelRegistry(settings)
        return create_app(settings, registry), registry

    return make


@pytest.fixture
def client(make_app: Any) -> Any:
    app, _ = make_app()
    with TestClient(app) as c:
        yield c
