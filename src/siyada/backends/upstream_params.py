"""``params`` of a model served by the ``openai`` backend, validated once when the model is built.

A pydantic model at the edge (the params come from YAML or the environment) resolved into one
frozen record, so a typo such as ``base_ulr`` fails with an error naming the model and the field
instead of being ignored. API keys are read here, from ``api_key`` or the environment variable
named by ``api_key_env``, and never logged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from siyada.errors import ConfigError
from siyada.settings import ModelConfig, Settings


class OpenAIParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(None, description="One upstream, e.g. http://10.0.0.5:8000/v1.")
    base_urls: list[str] = Field(default_factory=list, description="Several upstreams serving the same model.")
    model: str | None = Field(None, description="The upstream's model name; default: the Siyada name.")
    api_key: str | None = Field(None, description="Bearer token sent to the upstream.")
    api_key_env: str | None = Field(None, description="Environment variable holding the bearer token.")
    headers: dict[str, str] = Field(default_factory=dict, description="Extra HTTP headers for every call.")
    timeout_s: float | None = Field(None, gt=0, description="Per-call timeout; default upstream_timeout_s.")
    connect_timeout_s: float = Field(5.0, gt=0, description="Time allowed to open a connection.")
    health_path: str = Field("/models", description="GET path probed by health checks.")
    health_interval_s: float | None = Field(None, ge=0, description="Seconds between health checks; 0 disables them.")
    stream_usage: bool = Field(True, description="Ask for stream_options.include_usage.")
    dim: int | None = Field(None, gt=0, description="Embedding width; default: probed once.")
    prefix_query: str = Field("", description="Prepended to query texts (e5: 'query: ').")
    prefix_passage: str = Field("", description="Prepended to passage texts (e5: 'passage: ').")
    batch_size: int = Field(64, gt=0, description="Texts per /embeddings call.")

    @field_validator("base_url", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return v.strip() if isinstance(v, str) else v

    @field_validator("base_urls", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        if isinstance(v, str):  # "base_urls: http://..." in YAML means a list of one
            v = [v]
        return [u.strip() if isinstance(u, str) else u for u in v] if isinstance(v, list) else v


@dataclass(frozen=True, slots=True)
class UpstreamParams:
    model_name: str  # Siyada's name, used in error messages
    urls: list[str]
    upstream_model: str
    headers: dict[str, str] = field(default_factory=dict)
    timeout_s: float = 60.0
    connect_timeout_s: float = 5.0
    health_path: str = "/models"
    health_interval_s: float = 15.0
    stream_usage: bool = True
    dim: int | None = None
    prefix_query: str = ""
    prefix_passage: str = ""
    batch_size: int = 64


def _check_url(model: str, url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"model '{model}': upstream URL '{url}' must start with http:// or https://")
    return url.rstrip("/")


def _api_key(model: str, p: OpenAIParams) -> str | None:
    if p.api_key:
        return p.api_key
    if p.api_key_env:
        key = os.environ.get(p.api_key_env)
        if not key:
            raise ConfigError(f"model '{model}': params.api_key_env names '{p.api_key_env}', which is not set")
        return key
    return None


def parse_params(cfg: ModelConfig, settings: Settings) -> UpstreamParams:
    """Validate ``cfg.params`` for the ``openai`` backend; errors name the model and the field."""
    try:
        p = OpenAIParams.model_validate(cfg.params)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"model '{cfg.name}': invalid params.{loc}: {first['msg']}") from None
    raw = ([p.base_url] if p.base_url else []) + p.base_urls
    if not raw:
        raise ConfigError(
            f"model '{cfg.name}' uses the openai backend but has no upstream: set params.base_url "
            "(e.g. http://10.0.0.5:8000/v1) or params.base_urls; Siyada never downloads models"
        )
    headers = dict(p.headers)
    key = _api_key(cfg.name, p)
    if key:
        headers["Authorization"] = f"Bearer {key}"
    interval = settings.health_interval_s if p.health_interval_s is None else p.health_interval_s
    return UpstreamParams(
        model_name=cfg.name,
        urls=list(dict.fromkeys(_check_url(cfg.name, u) for u in raw)),
        upstream_model=p.model or cfg.name,
        headers=headers,
        timeout_s=p.timeout_s or settings.upstream_timeout_s,
        connect_timeout_s=min(p.connect_timeout_s, p.timeout_s or settings.upstream_timeout_s),
        health_path="/" + p.health_path.lstrip("/"),
        health_interval_s=interval,
        stream_usage=p.stream_usage,
        dim=p.dim,
        prefix_query=p.prefix_query,
        prefix_passage=p.prefix_passage,
        batch_size=p.batch_size,
    )
