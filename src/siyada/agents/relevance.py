"""Is the retrieved passage an answer at all? The relevance gate of extractive answers.

Retrieval always returns the closest passages, even for a question the documents do not cover
("Quel temps fera-t-il à Paris demain ?" meets the bank's opening hours). An extractive answer
quotes without understanding, so before quoting it asks each knowledge base of the agent for the
question's relevance signals (:mod:`siyada.rag.relevance`: closeness, search-key coverage,
concept coverage) and compares their score with **that base's calibrated threshold**
(:mod:`siyada.rag.calibration`: set from the base's own pseudo-questions and a bundled pool of
off-topic probes, made again when its documents change). Below it, the agent says it did not
find the answer, cites nothing and reports ``grounded: false``.

Decisions: the gate passes when any base of the agent passes; a spec may fix ``min_relevance``
(and ``keyword_weight``) for all its bases instead, and ``min_relevance: 0`` turns the gate off.
A base with no threshold (empty) or a knowledge source that is not a Siyada base leaves it open.
"""

from __future__ import annotations

from dataclasses import dataclass

from siyada.agents.spec import AnswerSettings


@dataclass(slots=True)
class BaseRelevance:
    """What one knowledge base says of a question: its signals and its own threshold."""

    closeness: float | None
    coverage: float
    concepts: float
    threshold: float | None  # calibrated; None: no threshold (empty base)
    keyword_weight: float
    concept_weight: float


@dataclass(slots=True)
class Relevance:
    closeness: float | None  # None: no base gave a cosine (the gate is then open)
    coverage: float
    concepts: float
    score: float | None
    threshold: float | None
    grounded: bool

    def to_dict(self) -> dict[str, float | None]:
        return {
            "closeness": _round(self.closeness),
            "coverage": round(self.coverage, 3),
            "concepts": round(self.concepts, 3),
            "score": _round(self.score),
            "threshold": _round(self.threshold),
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def judge(found: list[BaseRelevance], settings: AnswerSettings, has_passages: bool) -> Relevance | None:
    """The gate's decision over the agent's bases; None when the spec turned the gate off."""
    if settings.min_relevance == 0:
        return None
    best: Relevance | None = None
    for base in found:
        threshold = settings.min_relevance if settings.min_relevance is not None else base.threshold
        kw = settings.keyword_weight if settings.keyword_weight is not None else base.keyword_weight
        if base.closeness is None:
            continue
        score = base.closeness + kw * base.coverage + base.concept_weight * base.concepts
        passed = has_passages and (threshold is None or score >= threshold)
        margin = score - (threshold if threshold is not None else score)
        current = Relevance(base.closeness, base.coverage, base.concepts, score, threshold, passed)
        if best is None or (passed, margin) > (best.grounded, (best.score or 0.0) - (best.threshold or 0.0)):
            best = current
    if best is None:
        return Relevance(None, 0.0, 0.0, None, None, grounded=has_passages)
    return best
