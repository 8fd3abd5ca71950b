"""Pydantic models of the OpenAI- and Mistral-compatible request bodies.

Both APIs are accepted by one set of models: Mistral's extra fields (``random_seed``,
``safe_prompt``, ``tool_choice="any"``, ``inputs``) sit beside OpenAI's. Unknown fields are
accepted and ignored, as the OpenAI API does, so newer SDKs keep working.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class FunctionCallIn(_Open):
    name: str
    arguments: str | dict[str, Any] = "{}"


class ToolCallIn(_Open):
    id: str | None = None
    type: Literal["function"] = "function"
    function: FunctionCallIn


class ContentPart(_Open):
    type: str
    text: str | None = None


class ChatMessageIn(_Open):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None
    name: str | None = None
    tool_calls: list[ToolCallIn] | None = None
    tool_call_id: str | None = None


class FunctionSpec(_Open):
    name: str = Field(min_length=1, max_length=128)
    description: str | None = None
    parameters: dict[str, Any] | None = None


class ToolIn(_Open):
    type: Literal["function"] = "function"
    function: FunctionSpec


class ToolChoiceFunction(_Open):
    name: str


class ToolChoiceObject(_Open):
    type: Literal["function"] = "function"
    function: ToolChoiceFunction


class JsonSchemaSpec(_Open):
    name: str | None = None
    schema_: dict[str, Any] | None = Field(None, alias="schema")
    strict: bool | None = None


class ResponseFormatIn(_Open):
    type: Literal["text", "json_object", "json_schema"]
    json_schema: JsonSchemaSpec | None = None


class StreamOptions(_Open):
    include_usage: bool = False


class _Sampling(_Open):
    model: str = Field(min_length=1)
    max_tokens: int | None = Field(None, ge=1)
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, gt=0, le=1)
    stop: str | list[str] | None = None
    seed: int | None = None
    random_seed: int | None = None
    stream: bool = False
    stream_options: StreamOptions | None = None
    n: int = Field(1, ge=1, le=1, description="Only one choice per request is supported.")
    presence_penalty: float | None = Field(None, ge=-2, le=2)
    frequency_penalty: float | None = Field(None, ge=-2, le=2)
    user: str | None = None


class ChatCompletionBody(_Sampling):
    messages: list[ChatMessageIn] = Field(min_length=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    response_format: ResponseFormatIn | None = None
    tools: list[ToolIn] | None = None
    tool_choice: Literal["auto", "none", "required", "any"] | ToolChoiceObject | None = None
    parallel_tool_calls: bool | None = None
    safe_prompt: bool = False


class CompletionBody(_Sampling):
    prompt: str | list[str] = Field(description="One prompt (a list of one string is accepted).")
    response_format: ResponseFormatIn | None = None
    echo: bool = False


class EmbeddingBody(_Open):
    model: str | None = None
    input: str | list[str] | None = None
    inputs: str | list[str] | None = Field(None, description="Mistral's spelling of input.")
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = Field(None, ge=1)
    input_type: Literal["query", "passage", "document"] | None = Field(
        None, description="Siyada extension: e5 prefix to apply (default passage)."
    )
    user: str | None = None
