"""search_knowledge: retrieval as a tool, over the knowledge bases the agent declares.

Arabizi questions rarely share words or subwords with documents written in Arabic script, so
the query is also searched in its transliteration (``siyada.lang.translit``) and the two
rankings are fused by reciprocal rank (k=60). Passages come back as :class:`Source` records; the
runner numbers them [n] and shows them to the model.
"""

from __future__ import annotations

from typing import Any

from siyada.agents.citations import Source
from siyada.agents.relevance import BaseRelevance
from siyada.agents.tools.base import ToolContext, ToolError, ToolResult, require
from siyada.rag.analyze import query_variants

__all__ = ["SearchKnowledge", "fuse", "query_variants"]

RRF_K = 60


def fuse(rankings: list[list[Source]], top_k: int) -> list[Source]:
    """Reciprocal-rank fusion of several rankings of the same store's passages."""
    scores: dict[str, float] = {}
    first: dict[str, Source] = {}
    for ranking in rankings:
        for rank, src in enumerate(ranking):
            scores[src.key] = scores.get(src.key, 0.0) + 1.0 / (RRF_K + rank + 1)
            first.setdefault(src.key, src)
    ordered = sorted(scores, key=lambda k: -scores[k])[:top_k]
    out = []
    for key in ordered:
        src = first[key]
        src.score = round(scores[key], 6)
        out.append(src)
    return out


class SearchKnowledge:
    name = "search_knowledge"

    def __init__(self, config: dict[str, Any], context: ToolContext) -> None:
        self.context = context
        self.refs = {ref.name: ref for ref in context.knowledge_refs}
        names = ", ".join(
            f"'{r.name}'" + (f" ({r.description})" if r.description else "") for r in context.knowledge_refs
        )
        self.description = (
            "Search the organisation's documents and return numbered passages to cite as [n]. "
            f"Knowledge bases: {names or 'none'}."
        )
        self.parameters = {
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "What to look for, in any language."},
                "knowledge_base": {"type": "string", "enum": list(self.refs) or [""]},
            },
            "required": ["query"],
        }

    def search(self, query: str, knowledge_base: str | None = None) -> list[Source]:
        if self.context.knowledge is None or not self.refs:
            raise ToolError("this agent has no knowledge base to search")
        names = [knowledge_base] if knowledge_base else list(self.refs)
        rankings: list[list[Source]] = []
        top_k = max(self.refs[n].top_k for n in names if n in self.refs) if names else 5
        for name in names:
            if name not in self.refs:
                raise ToolError(f"unknown knowledge base '{name}' (known: {', '.join(self.refs)})")
            kb = self.context.knowledge(name)
            for variant in query_variants(query):
                hits = kb.search(variant, top_k=self.refs[name].top_k)
                rankings.append([Source.from_hit(h, knowledge_base=name) for h in hits])
        return fuse(rankings, top_k)

    def search_document(self, query: str, passage: Source) -> list[Source]:
        """More passages of the document ``passage`` belongs to (extractive mode's second look)."""
        if self.context.knowledge is None or passage.knowledge_base not in self.refs:
            return []
        kb = self.context.knowledge(passage.knowledge_base)
        hits = kb.search(
            query, top_k=self.refs[passage.knowledge_base].top_k, filters={"document_id": passage.document_id}
        )
        found = [Source.from_hit(h, knowledge_base=passage.knowledge_base) for h in hits]
        for src in found:
            src.score = 0.0  # ranked after the first search's passages: a second look must not reorder them
        return found

    def relevance(self, query: str) -> list[BaseRelevance] | None:
        """Each base's relevance signals for ``query`` and its calibrated threshold
        (:mod:`siyada.rag.relevance`); None when a base is not a Siyada knowledge base."""
        if self.context.knowledge is None:
            return None
        out = []
        for name in self.refs:
            kb = self.context.knowledge(name)
            if not hasattr(kb, "relevance"):
                return None
            sig = kb.relevance(query)
            cal = kb.calibration()
            out.append(
                BaseRelevance(
                    sig.closeness, sig.coverage, sig.concepts, cal.threshold, cal.keyword_weight, cal.concept_weight
                )
            )
        return out

    def run(self, arguments: dict[str, Any]) -> ToolResult:
        query = require(arguments, "query")
        kb = arguments.get("knowledge_base") or None
        sources = self.search(query, kb if isinstance(kb, str) else None)
        if not sources:
            return ToolResult(content="No passage found.")
        return ToolResult(content="", sources=sources)
