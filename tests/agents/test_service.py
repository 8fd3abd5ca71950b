"""The agent catalog: samples, extra folders, $SIYADA_HOME/agents, overrides and invalid specs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from siyada.agents.service import AgentService, load_catalog
from siyada.backends.registry import ModelRegistry
from siyada.errors import ModelNotFoundError, NotFoundError
from siyada.settings import load_settings

from .conftest import fake_models, mini_settings


def test_catalog_order_and_override(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "bank.yaml").write_text("name: bank\ndescription: overridden\ninstructions: i\n", encoding="utf-8")
    (extra / "bad.yaml").write_text(
        "name: bad\ndescription: d\ninstructions: i\nlimits: {max_tokens: 1}\n", encoding="utf-8"
    )
    home = tmp_path / "home"
    (home / "agents").mkdir(parents=True)
    (home / "agents" / "own.yaml").write_text("name: own\ndescription: d\ninstructions: i\n", encoding="utf-8")
    settings = load_settings(home=home, agents_dirs=[extra], models=fake_models())
    agents, errors = load_catalog(settings)
    assert sorted(agents) == ["bank", "clinic", "farm", "own", "university"]
    assert agents["bank"].spec.description == "overridden" and not agents["bank"].sample
    assert agents["clinic"].sample
    assert len(errors) == 1 and "bad.yaml:4: limits.max_tokens:" in errors[0].message
    none, _ = load_catalog(load_settings(home=home, load_sample_agents=False, models=fake_models()))
    assert sorted(none) == ["own"]


def test_unknown_agent_and_lazy_knowledge(tmp_path: Path, mini_agents: Path) -> None:
    settings = mini_settings(tmp_path / "home", mini_agents)
    service = AgentService(settings, ModelRegistry(settings))
    with pytest.raises(NotFoundError, match="agents: mini"):
        service.get("agent:nope")
    assert service.get("agent:mini").spec.name == "mini"
    assert not (settings.knowledge_dir / "mini-kb").exists()
    service.prepare("mini")
    service.prepare("mini")  # idempotent
    docs = service.knowledge().get("mini-kb").documents()
    assert sorted(Path(d.source).name for d in docs) == ["carte.md", "horaires.md"]
    # A second service (a restart) re-adds unchanged files without duplicating them.
    again = AgentService(settings, ModelRegistry(settings))
    again.prepare("mini")
    assert len(again.knowledge().get("mini-kb").documents()) == 2


def test_bad_tool_config_is_a_spec_error(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "web.yaml").write_text(
        'name: web\ndescription: d\ninstructions: i\ntools: [{name: http_get, config: {allow: ["ftp://x/"]}}]\n',
        encoding="utf-8",
    )
    settings = load_settings(
        home=tmp_path / "home", agents_dirs=[extra], load_sample_agents=False, models=fake_models()
    )
    agents, errors = load_catalog(settings)
    assert "web" not in agents
    assert "web.yaml: tools.0.config: not an http(s) URL" in errors[0].message


def test_generative_agent_with_unknown_model_fails_cleanly(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "g.yaml").write_text(
        "name: g\ndescription: d\ninstructions: i\nmodel: nope\nanswer_mode: generative\n", encoding="utf-8"
    )
    (extra / "a.yaml").write_text("name: a\ndescription: d\ninstructions: i\nmodel: nope\n", encoding="utf-8")
    settings = load_settings(
        home=tmp_path / "home", agents_dirs=[extra], load_sample_agents=False, models=fake_models()
    )
    service = AgentService(settings, ModelRegistry(settings))
    with pytest.raises(ModelNotFoundError, match="'nope' does not exist"):
        service.runner("g")
    # In auto mode an unknown model is "not trusted": the agent answers extractively.
    assert service.runner("a").mode == "extractive"


def test_server_start_fills_the_bases_in_the_background(tmp_path: Path, mini_agents: Path) -> None:
    import time

    from fastapi.testclient import TestClient

    from siyada.serve.app import create_app

    settings = mini_settings(tmp_path / "home", mini_agents)
    with TestClient(create_app(settings, ModelRegistry(settings))) as client:
        docs: list[Any] = []
        for _ in range(300):  # poll: the warm-up thread works while the server answers
            r = client.get("/v1/knowledge/mini-kb/documents")
            docs = r.json()["data"] if r.status_code == 200 else []
            if len(docs) == 2:
                break
            time.sleep(0.1)
    # Nothing but the server start asked for the agent's base.
    assert sorted(Path(d["source"]).name for d in docs) == ["carte.md", "horaires.md"]
