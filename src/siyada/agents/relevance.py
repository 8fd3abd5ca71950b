"""Is the retrieved passage an answer at all? The relevance gate of extractive answers.

Retrieval always returns the closest passages, even for a question the documents do not cover
("Quel temps fera-t-il à Paris demain ?" meets the bank's opening hours). An extractive answer
quotes without understanding, so before quoting it checks two signals retrieval already has:

- **closeness**: the dense cosine of the knowledge base's closest passage to the question (or
  to its Arabic-script transliteration, whichever is closer). It separates French, MSA and Darija
  in Arabic script well on the sample agents, but multilingual-e5-small scores Arabizi lower for
  answerable and off-topic questions alike;
- **coverage**: the share of the question's search keys (``siyada.lang.search_key``: Arabizi
  meets Arabic script) found in the best retrieved passage. It lifts Arabizi questions that name
  the document's own words.

``score = closeness + keyword_weight × coverage``; below ``min_relevance`` the agent says it did
not find the answer, cites nothing and reports ``grounded: false``. Cosine scales differ per
embedder, so the defaults are per embedder (``relevance.yaml``); the spec's ``answer`` settings
override them, and a base whose embedder has no calibration gets no gate unless the spec sets one.
For multilingual-e5-small (0.89 and 0.3) they were chosen on the sample agents' development
questions (``bench/agents.py``): the best off-topic refusal rate that keeps answerable citation
accuracy ≥ 0.9 overall and ≥ 0.8 on Arabizi with a margin of one question. A linear score was
preferred to per-language thresholds: fewer numbers fitted on 120 questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

from siyada.agents.citations import Source
from siyada.agents.extractive import question_keys
from siyada.agents.spec import AnswerSettings


@cache
def _calibrations() -> dict[str, dict[str, float]]:
    data = yaml.safe_load(files("siyada.agents").joinpath("relevance.yaml").read_text(encoding="utf-8"))
    return data or {}


def thresholds(settings: AnswerSettings, embedder: str) -> tuple[float, float] | None:
    """``(min_relevance, keyword_weight)`` for a base built with ``embedder``; None: no gate."""
    calibrated = _calibrations().get(embedder, {})
    minimum = settings.min_relevance if settings.min_relevance is not None else calibrated.get("min_relevance")
    weight = settings.keyword_weight if settings.keyword_weight is not None else calibrated.get("keyword_weight")
    if not minimum:  # None (uncalibrated embedder) or 0 (disabled by the spec)
        return None
    return float(minimum), float(weight or 0.0)


@dataclass(slots=True)
class Relevance:
    closeness: float | None  # None: the knowledge base gave no cosine (the gate is then open)
    coverage: float
    score: float | None
    grounded: bool

    def to_dict(self) -> dict[str, float | None]:
        return {"closeness": _round(self.closeness), "coverage": round(self.coverage, 3),
                "score": _round(self.score)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def coverage(variants: list[str], passages: list[Source]) -> float:
    """The best share of one query variant's search keys found in one passage."""
    best = 0.0
    for variant in variants:
        keys = question_keys(variant)
        if not keys:
            continue
        for src in passages:
            best = max(best, len(keys & question_keys(src.text)) / len(keys))
    return best


def judge(closeness: float | None, variants: list[str], passages: list[Source],
          min_relevance: float, keyword_weight: float) -> Relevance:
    """Decide whether the passages answer the question (see the module docstring)."""
    cov = coverage(variants, passages)
    if closeness is None:
        return Relevance(None, cov, None, grounded=bool(passages))
    score = closeness + keyword_weight * cov
    return Relevance(closeness, cov, score, grounded=bool(passages) and score >= min_relevance)
