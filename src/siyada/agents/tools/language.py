"""language: identify a text's language and script, and optionally transliterate it.

A thin adapter over ``siyada.lang`` so a model can, for instance, turn an Arabizi name into
Arabic script before writing a letter.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from siyada.agents.tools.base import ToolContext, ToolError, ToolResult, require

SCRIPTS = ("Arab", "Latn", "Tfng")


class Language:
    name = "language"
    description = (
        "Identify the language and script of a text (labels such as ary_Arab, ary_Latn, "
        "arb_Arab, zgh_Tfng, fra_Latn); optionally transliterate it to Arab, Latn or Tfng."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "text": {"type": "string"},
            "transliterate_to": {"type": "string", "enum": list(SCRIPTS)},
        },
        "required": ["text"],
    }

    def __init__(self, config: dict[str, Any], context: ToolContext) -> None:
        pass

    def run(self, arguments: dict[str, Any]) -> ToolResult:
        from siyada.lang.lid import identify
        from siyada.lang.translit import transliterate

        text = require(arguments, "text")
        out: dict[str, Any] = {"label": identify(text).label}
        target = arguments.get("transliterate_to")
        if target:
            if target not in SCRIPTS:
                raise ToolError(f"transliterate_to must be one of {', '.join(SCRIPTS)}")
            out["transliteration"] = transliterate(text, to=target).result
        return ToolResult(content=json.dumps(out, ensure_ascii=False))
