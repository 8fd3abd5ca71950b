"""The tool protocol, the context tools run in, and the name → tool lookup.

Tools are synchronous (SQL drivers, HTTP GET, arithmetic): the runner calls them in a worker
thread under the agent's time limit, so a slow tool cannot stall the event loop. A tool reports
failure by raising :class:`ToolError` (a message the model may read and recover from); any
other exception is caught by the runner and reported the same way, never crashing the answer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from siyada.agents.citations import Source
from siyada.errors import SiyadaError
from siyada.types import ToolSpec

if TYPE_CHECKING:
    from siyada.agents.spec import KnowledgeRef
    from siyada.settings import Settings


class ToolError(SiyadaError):
    """A tool could not do what was asked; the message is shown to the model."""

    status_code = 400
    error_type = "tool_error"


@dataclass(slots=True)
class ToolResult:
    content: str  # what the model reads (JSON text or plain text)
    sources: list[Source] = field(default_factory=list)  # retrieved passages, cited as [n]


@dataclass(slots=True)
class ToolContext:
    settings: Settings | None = None
    # Knowledge base name → object with ``search(query, top_k=..)`` returning rag Hits.
    knowledge: Callable[[str], Any] | None = None
    knowledge_refs: list[KnowledgeRef] = field(default_factory=list)


class Tool(Protocol):
    name: str
    description: str
    parameters: dict[str, Any]

    def run(self, arguments: dict[str, Any]) -> ToolResult: ...


def tool_spec(tool: Tool) -> ToolSpec:
    return ToolSpec(name=tool.name, description=tool.description, parameters=tool.parameters)


def build_tool(name: str, config: dict[str, Any], context: ToolContext) -> Tool:
    from siyada.agents.tools import TOOLS

    try:
        target = TOOLS[name]
    except KeyError:
        raise ToolError(f"unknown tool '{name}' (known: {', '.join(sorted(TOOLS))})") from None
    module, _, attr = target.partition(":")
    cls: Callable[[dict[str, Any], ToolContext], Tool] = getattr(importlib.import_module(module), attr)
    return cls(config, context)


def require(arguments: dict[str, Any], key: str, kind: type = str) -> Any:
    """Fetch a required argument of the given type, or raise a ToolError the model can act on."""
    value = arguments.get(key)
    if not isinstance(value, kind) or (kind is str and not str(value).strip()):
        kind_name = "string" if kind is str else kind.__name__
        raise ToolError(f"argument '{key}' is required and must be a {kind_name}")
    return value
