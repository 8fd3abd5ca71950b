"""search_knowledge: retrieval as a tool, over the knowledge bases the agent declares.

Arabizi questions rarely share words or subwords with documents written in Arabic script, so
the query is also searched in its transliteration (``siyada.lang.translit``) and the two
rankings are fused by reciprocal rank (k=60). Passages come back as :class:`Source` records; the
runner numbers them [n] and shows them to the model.
"""

from __future__ import annotations

from typing import Any

from siyada.agents.citations import Source
from siyada.agents.tools.base import ToolContext, ToolError, ToolResult, require

RRF_K = 60
LATIN_DARIJA = {"ary_Latn", "ber_Latn"}


def query_variants(query: str) -> list[str]:
    """The query, plus its Arabic-script transliteration when it is Latin-script Darija."""
    variants = [query]
    try:
        from siyada.lang.lid import identify
        from siyada.lang.translit import transliterate
    except ImportError:  # siyada.lang absent: search the query as written
        return variants
    try:
        label = identify(query).label
        if label in LATIN_DARIJA or (label == "und" and query.isascii()):
            arab = transliterate(query, to="Arab").result
            if arab and arab != query:
                variants.append(arab)
    except Exception:  # transliteration is an aid, never a reason to fail a search
        pass
    return variants


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
        names = ", ".join(f"'{r.name}'" + (f" ({r.description})" if r.description else "")
                          for r in context.knowledge_refs)
        self.description = (
            "Search the organisation's documents and return numbered passages to cite as [n]. "
            f"Knowledge bases: {names or 'none'}.")
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
        hits = kb.search(query, top_k=self.refs[passage.knowledge_base].top_k,
                         filters={"document_id": passage.document_id})
        found = [Source.from_hit(h, knowledge_base=passage.knowledge_base) for h in hits]
        for src in found:
            src.score = 0.0  # ranked after the first search's passages: a second look must not reorder them
        return found

    def closeness(self, query: str) -> tuple[float, str] | None:
        """The dense cosine of the closest passage to the query (or its transliteration) over the
        agent's bases, with the embedder that scored it; None when no base ranks by cosine alone."""
        if self.context.knowledge is None:
            return None
        best: tuple[float, str] | None = None
        for name in self.refs:
            kb = self.context.knowledge(name)
            info = getattr(kb, "info", None)
            if info is None:  # not a siyada.rag base: no cosine to read
                return None
            embedder = str(info().embedder)
            for variant in query_variants(query):
                for hit in kb.search(variant, top_k=1, mode="dense"):
                    if best is None or hit.score > best[0]:
                        best = (float(hit.score), embedder)
        return best

    def run(self, arguments: dict[str, Any]) -> ToolResult:
        query = require(arguments, "query")
        kb = arguments.get("knowledge_base") or None
        sources = self.search(query, kb if isinstance(kb, str) else None)
        if not sources:
            return ToolResult(content="No passage found.")
        return ToolResult(content="", sources=sources)
