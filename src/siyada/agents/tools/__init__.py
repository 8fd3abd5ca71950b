"""Built-in agent tools, one module each, registered by name and imported only when an agent uses one.

A tool is a small class with ``name``, ``description``, ``parameters`` (JSON schema) and one method,
``run(arguments) -> ToolResult``; :mod:`siyada.agents.tools.base` holds the protocol and the lookup.
"""

from __future__ import annotations

# name → "module:class"; each class is built as cls(config: dict, context: ToolContext).
TOOLS: dict[str, str] = {
    "search_knowledge": "siyada.agents.tools.search_knowledge:SearchKnowledge",
    "calculator": "siyada.agents.tools.calculator:Calculator",
    "datetime": "siyada.agents.tools.clock:Clock",
    "language": "siyada.agents.tools.language:Language",
    "http_get": "siyada.agents.tools.http_get:HttpGet",
    "sql_query": "siyada.agents.tools.sql_query:SqlQuery",
}
