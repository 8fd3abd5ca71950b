"""Extractive answers: the best sentences of the retrieved passages, quoted and cited.

No generative model is involved, so an answer exists — grounded by construction — even on a
server whose only model is a 270M base model. Decisions:

- **Which document.** The one holding the best passage (fused over the question and its
  transliteration). Summing a document's passages was tried and lost: a long document with
  several middling passages beat the one that answers (0.85 vs 0.96 top-1 on the sample set).
- **Which passage.** Inside that document the passage in the user's language and script wins
  (``language_affinity``), then retrieval rank. Arabizi readers get the Darija passage in Arabic
  script: an extractive answer quotes its source verbatim, it never rewrites it.
- **Which sentences.** Sentences are scored by shared search keys with the question
  (``siyada.lang.search_key`` matches Arabizi against Arabic script); the best ``max_sentences``
  are kept in document order so the answer reads as written. With no shared key (a question in
  another language) the passage's first sentences are used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from siyada.agents.citations import Source, SourceBook
from siyada.agents.policy import detect_language, language_affinity

_SENTENCE_RE = re.compile(r"(?<=[.!?؟։。])\s+|\n+")
_HEADING_RE = re.compile(r"^\s*(#{1,6}\s+|[-*•]\s+|\d+[.)]\s+)")
_WORD_RE = re.compile(r"[^\W_]+")
MIN_SENTENCE_CHARS = 12


@dataclass(slots=True)
class Extract:
    text: str  # the answer, with [n] markers
    snippets: dict[int, str]  # source number → the sentences quoted from it
    language: str | None  # label of the quoted passage


def question_keys(text: str) -> set[str]:
    """Search keys of a text (words of 3+ characters; Arabizi and Arabic script meet)."""
    try:
        from siyada.lang.searchkey import search_key
    except ImportError:
        return {w.lower() for w in _WORD_RE.findall(text) if len(w) > 2}
    return {k for k in search_key(text).split() if len(k) > 2}


def sentences(text: str) -> list[str]:
    out = []
    for raw in _SENTENCE_RE.split(text):
        s = _HEADING_RE.sub("", raw).strip()
        if len(s) >= MIN_SENTENCE_CHARS and not s.endswith(":"):
            out.append(s)
    return out


def best_document(sources: list[Source]) -> list[Source]:
    """The passages of the document holding the best-scoring passage, in retrieval order."""
    best = max(enumerate(sources), key=lambda t: (t[1].score, -t[0]))[1].document_id
    return [s for s in sources if s.document_id == best]


def language_of(src: Source) -> str:
    """The passage's language label (identified once, when the store did not record it)."""
    if not src.lang or src.lang == "und":
        src.lang = detect_language(src.text)
    return src.lang


def choose_passage(passages: list[Source], user_lang: str) -> Source:
    def rank(item: tuple[int, Source]) -> tuple[float, int]:
        i, src = item
        return (-language_affinity(language_of(src), user_lang), i)

    return min(enumerate(passages), key=rank)[1]


def pick_sentences(passage: str, question: str, max_sentences: int) -> list[str]:
    sents = sentences(passage) or [" ".join(passage.split())]
    q = question_keys(question)
    scored = [(len(q & question_keys(s)), i) for i, s in enumerate(sents)]
    if not any(score for score, _ in scored):
        return sents[:max_sentences]
    top = sorted(scored, key=lambda t: (-t[0], t[1]))[:max_sentences]
    keep = sorted(i for score, i in top if score > 0) or [top[0][1]]
    return [sents[i] for i in keep]


def extract_answer(
    question: str, user_lang: str, sources: list[Source], book: SourceBook, max_sentences: int = 2
) -> Extract | None:
    """Compose a cited extractive answer, or None when nothing was retrieved."""
    if not sources:
        return None
    passage = choose_passage(best_document(sources), user_lang)
    picked = pick_sentences(passage.text, question, max_sentences)
    n = book.add(passage)
    body = " ".join(picked)
    return Extract(text=f"{body} [{n}]", snippets={n: body}, language=passage.lang)
