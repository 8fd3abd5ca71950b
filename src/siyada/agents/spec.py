"""The agent spec: a YAML file validated by pydantic, with errors that name file, line and field.

An agent is data, not code: who it is (name, description, instructions), what it may use (model,
knowledge bases, tools), how it answers (reply policy, answer mode) and how far it may go (limits).
YAML is parsed twice — once into plain data for pydantic and once into a node tree — so a
validation error's field path can be mapped back to the line where that field is written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from siyada.errors import ConfigError

AnswerMode = Literal["generative", "extractive", "auto"]
ToolCalling = Literal["auto", "native", "json"]
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class SpecError(ConfigError):
    """An agent spec that cannot be used; the message reads ``file:line: field: reason``."""

    def __init__(self, path: Path | str, line: int | None, field: str, reason: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        text = f"{where}: {field}: {reason}" if field else f"{where}: {reason}"
        super().__init__(text, param=field or None)
        self.path = str(path)
        self.line = line
        self.field = field
        self.reason = reason


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Limits(_Strict):
    max_tool_calls: int = Field(default=4, ge=0, le=32, description="Tool calls allowed per answer.")
    max_tokens: int = Field(default=512, ge=16, le=32768, description="Tokens the model may generate per answer.")
    timeout_s: float = Field(default=60.0, gt=0, le=3600, description="Wall-clock seconds per answer.")


class ReplyPolicy(_Strict):
    language: str = Field(
        default="user",
        description="'user' (the language and script of the question) or a fixed label such "
        "as 'fra_Latn' or 'ary_Arab'.",
    )
    fallback: str = Field(default="fra_Latn", description="Label used when the question's language is unknown.")


class AnswerSettings(_Strict):
    min_relevance: float | None = Field(
        default=None,
        ge=0,
        le=2,
        description="Extractive answers: below this relevance score (dense cosine of "
        "the closest passage + weighted search-key and concept coverage) the agent says it did not find the "
        "answer and cites nothing. Default (null): each knowledge base's own calibrated threshold (made from "
        "its documents and a pool of off-topic probes; see 'siyada kb show'). 0 disables the check.",
    )
    keyword_weight: float | None = Field(
        default=None,
        ge=0,
        le=2,
        description="Weight of the search-key coverage in the relevance score "
        "(default: per embedder, siyada/rag/data/relevance.yaml).",
    )


class KnowledgeRef(_Strict):
    name: str = Field(description="Knowledge base name (created on load if 'paths' are given).")
    description: str = Field(default="", description="What it holds; shown to the model in the search tool.")
    paths: list[str] = Field(
        default_factory=list, description="Files or folders, relative to the spec file, ingested on load."
    )
    top_k: int = Field(default=5, ge=1, le=50, description="Passages retrieved per search.")

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not NAME_RE.match(v):
            raise ValueError("must be lowercase letters, digits, '-' or '_' (at most 64)")
        return v


class ToolRef(_Strict):
    name: str = Field(description="Built-in tool name (see siyada.agents.tools.TOOLS).")
    config: dict[str, Any] = Field(default_factory=dict, description="Tool-specific settings.")


class AgentSpec(_Strict):
    name: str = Field(description="Identifier; clients call the agent as model 'agent:<name>'.")
    description: str = Field(description="One line shown in listings.")
    model: str | None = Field(default=None, description="Chat model from the registry; default: the default model.")
    instructions: str = Field(description="System instructions: role, scope, tone, rules.")
    languages: list[str] = Field(
        default_factory=lambda: ["ary_Arab", "ary_Latn", "arb_Arab", "fra_Latn"],
        description="Language labels the agent serves (siyada.lang labels).",
    )
    reply: ReplyPolicy = Field(default_factory=lambda: ReplyPolicy(), description="Which language to answer in.")
    knowledge: list[KnowledgeRef] = Field(default_factory=list, description="Knowledge bases it searches.")
    tools: list[ToolRef] = Field(default_factory=list, description="Tools besides search_knowledge.")
    limits: Limits = Field(default_factory=lambda: Limits(), description="Per-answer limits.")
    answer_mode: AnswerMode = Field(default="auto", description="generative, extractive, or auto (by model size).")
    answer: AnswerSettings = Field(
        default_factory=lambda: AnswerSettings(), description="How answers are checked against the documents."
    )
    tool_calling: ToolCalling = Field(
        default="auto", description="native tool calls, grammar-constrained json, or auto (by model)."
    )
    retrieve_first: bool = Field(
        default=True,
        description="Generative mode: search the question before the model's first turn "
        "(counts as one tool call), so every answer has passages to cite.",
    )
    examples: list[str] = Field(default_factory=list, description="Starter questions.")

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not NAME_RE.match(v):
            raise ValueError(
                "must be lowercase letters, digits, '-' or '_' (at most 64), starting with a letter or digit"
            )
        return v

    @field_validator("tools", mode="before")
    @classmethod
    def _tool_shorthand(cls, v: Any) -> Any:
        # `tools: [calculator, {name: http_get, config: {...}}]` — a bare string is a tool without config.
        if isinstance(v, list):
            return [{"name": t} if isinstance(t, str) else t for t in v]
        return v

    @field_validator("tools")
    @classmethod
    def _known_tools(cls, v: list[ToolRef]) -> list[ToolRef]:
        from siyada.agents.tools import TOOLS

        seen: set[str] = set()
        for ref in v:
            if ref.name not in TOOLS:
                raise ValueError(f"unknown tool '{ref.name}' (known: {', '.join(sorted(TOOLS))})")
            if ref.name in seen:
                raise ValueError(f"tool '{ref.name}' is listed twice")
            seen.add(ref.name)
        return v


def _node_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Walk the YAML node tree along a pydantic error location; the deepest node found gives the line."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if nxt is None:
                break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def parse_spec(text: str, path: Path | str = "<spec>") -> AgentSpec:
    """Parse and validate one spec's YAML text; every failure is a :class:`SpecError`."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SpecError(path, mark.line + 1 if mark else None, "", f"not valid YAML ({problem})") from None
    if not isinstance(data, dict):
        raise SpecError(path, 1, "", "an agent spec must be a mapping of fields")
    try:
        return AgentSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        field = ".".join(str(p) for p in loc)
        reason = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            reason = "required field is missing"
            line = _node_line(node, loc[:-1])
        elif err["type"] == "extra_forbidden":
            reason = "unknown field"
            line = _node_line(node, loc)
        else:
            line = _node_line(node, loc)
        raise SpecError(path, line, field, reason) from None


def load_spec(path: Path) -> AgentSpec:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(path, None, "", f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_spec(text, path)


def spec_schema() -> dict[str, Any]:
    """The JSON schema of a spec (``siyada agents schema`` prints it; docs/agents.md documents it)."""
    return AgentSpec.model_json_schema()
