"""Per-base calibration of the relevance threshold: from the base's own text, not from dev questions.

A threshold fitted once on some organisations' questions does not hold on another base: cosine
levels move with the embedder, the documents' languages, their length and their domain. So each
base sets its own threshold from two distributions of :func:`siyada.rag.relevance.signals` scores:

- **pseudo-questions** made from its own chunks, as people would ask them in other words and
  languages: a fragment of a sentence (a few content words, in the chunk's language), the same
  fragment's concepts said in another language (``siyada.lang.concepts.render``: a French chunk
  is asked in MSA and Darija, an Arabic one in French), and for Arabic-script chunks the fragment
  in Arabizi (``siyada.lang.transliterate``);
- **off-topic probes**: a bundled pool of questions over many domains and organisations in the
  four languages (``data/offtopic_probes.yaml``). Probes that are in fact on-topic for this base
  (a banking probe against a bank) score like its pseudo-questions and weigh little in the choice.

The threshold is the probes' ``probe_quantile`` score (half of them refused by default), capped
at the pseudo-questions' ``pseudo_quantile`` score, so that a base sharing the probes' domain
does not refuse its own questions (both quantiles and the signal weights per embedder in
``siyada/rag/data/relevance.yaml``, chosen on the tune half of ``bench/orgs``). Weighing refused
probes against refused pseudo-questions (a cost-weighted Youden cut) was tried and lost: the
pseudo-questions reuse the chunk's words and score higher than real, paraphrased questions, so
the cut it chose refused 16–26 % of the real answerable tune questions. It is stored in the base's
``meta`` with a fingerprint of the documents, the lexicon and this module's version, and made again
lazily when any of them changes. A base with no chunk has no threshold (nothing to quote anyway).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import asdict, dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
import yaml

from siyada.backends.base import Embedder
from siyada.lang.concepts import concepts as concept_ids
from siyada.lang.concepts import lexicon_version, render
from siyada.rag.analyze import query_variants
from siyada.rag.relevance import Signals, signals
from siyada.rag.store.base import Store

VERSION = "1"
MAX_CHUNKS = 48
FRAGMENT_WORDS = 7
_SENTENCE = re.compile(r"(?<=[.!?؟])\s+|\n+")
_WORD = re.compile(r"[^\W_]+")
_probe_vectors: dict[tuple[str, int], list[list[np.ndarray]]] = {}
_probe_lock = threading.Lock()


@dataclass(slots=True)
class Calibration:
    threshold: float | None
    keyword_weight: float
    concept_weight: float
    pseudo: int  # pseudo-questions scored
    probes: int
    pseudo_refused: float  # share of pseudo-questions under the threshold
    probes_refused: float
    fingerprint: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def probes() -> list[str]:
    data = yaml.safe_load(files("siyada.rag").joinpath("data", "offtopic_probes.yaml").read_text(encoding="utf-8"))
    return [str(item["q"]) for item in data]


def _fragments(text: str) -> list[str]:
    """Up to two fragments of ``FRAGMENT_WORDS`` words from the chunk's longer sentences."""
    sents = [s for s in _SENTENCE.split(text) if len(_WORD.findall(s)) >= 4]
    sents.sort(key=lambda s: -len(s))
    out = []
    for s in sents[:2]:
        words = _WORD.findall(s)
        start = len(words) // 4 if len(words) > FRAGMENT_WORDS + 2 else 0
        out.append(" ".join(words[start : start + FRAGMENT_WORDS]))
    return out


def pseudo_questions(chunks: list[tuple[str, str]]) -> list[str]:
    """Questions a chunk answers, said in other words, languages and scripts (see the docstring)."""
    out: list[str] = []
    for n, (text, lang) in enumerate(chunks):
        for frag in _fragments(text):
            out.append(frag)
            found = concept_ids(frag, lang)
            if lang.endswith("_Arab"):
                other = render(found, "fra")
                try:
                    from siyada.lang.translit import transliterate

                    latin = transliterate(frag, to="Latn").result
                    if latin and latin != frag:
                        out.append(latin)
                except Exception:  # an aid, never a reason to fail
                    pass
            else:
                other = render(found, "ary" if n % 2 else "arb")
            if len(other.split()) >= 2:
                out.append(other)
    return out


def sample_chunks(store: Store, limit: int = MAX_CHUNKS) -> list[tuple[str, str]]:
    """Up to ``limit`` chunks spread evenly over the base (text, language)."""
    rows = store.chunk_texts()
    if len(rows) > limit:
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    return rows


def fingerprint(store: Store, embedder_name: str) -> str:
    """Changes whenever the base's chunks, the lexicon or this module's version change.

    The store's change mark (documents counted, last update, chunks) moves with every document
    added, replaced or removed in any process; one aggregate query per answer, not a row per document.
    """
    h = hashlib.blake2s(digest_size=8)
    h.update(f"{store.change_mark()}:{lexicon_version()}:{VERSION}:{embedder_name}".encode())
    return h.hexdigest()


def _probe_signal_vectors(embedder: Embedder, name: str) -> list[list[np.ndarray]]:
    """Embeddings of every probe's variants, made once per embedder and process."""
    key = (name, embedder.dim)  # two configurations may give one name to different embedders
    with _probe_lock:
        if key not in _probe_vectors:
            variants = [query_variants(p) for p in probes()]
            flat = [v for vs in variants for v in vs]
            vecs = [np.asarray(v, dtype=np.float32) for v in embedder.embed(flat, kind="query")]
            out, i = [], 0
            for vs in variants:
                out.append(vecs[i : i + len(vs)])
                i += len(vs)
            _probe_vectors[key] = out
        return _probe_vectors[key]


def choose_threshold(
    pseudo: list[float], off: list[float], probe_quantile: float, pseudo_quantile: float
) -> tuple[float, float, float]:
    """``(threshold, pseudo refused, probes refused)``: the probes' ``probe_quantile`` score, capped
    at the pseudo-questions' ``pseudo_quantile`` score (so a base whose domain the probes share —
    a bank's base and the banking probes — keeps answering its own questions)."""
    p, o = np.asarray(pseudo, dtype=np.float64), np.asarray(off, dtype=np.float64)
    cut = float(np.quantile(o, probe_quantile)) if len(o) else -np.inf
    if len(p):
        cut = min(cut, float(np.quantile(p, pseudo_quantile)))
    pr = float((p < cut).mean()) if len(p) else 0.0
    orf = float((o < cut).mean()) if len(o) else 0.0
    return cut, pr, orf


def calibrate(store: Store, embedder: Embedder, embedder_name: str, weights: dict[str, float]) -> Calibration:
    """Score the base's pseudo-questions and the probes, and choose its threshold."""
    fp = fingerprint(store, embedder_name)
    keyword_weight, concept_weight = weights["keyword_weight"], weights["concept_weight"]
    chunks = sample_chunks(store)
    if not chunks:
        return Calibration(None, keyword_weight, concept_weight, 0, 0, 0.0, 0.0, fp)
    questions = pseudo_questions(chunks)

    def score(sig: Signals) -> float:
        value = sig.score(keyword_weight, concept_weight)
        return -1.0 if value is None else value

    pseudo = [score(signals(store, embedder, q)) for q in questions]
    off = [
        score(signals(store, embedder, p, vectors=v))
        for p, v in zip(probes(), _probe_signal_vectors(embedder, embedder_name), strict=True)
    ]
    threshold, pr, orf = choose_threshold(pseudo, off, weights["probe_quantile"], weights["pseudo_quantile"])
    return Calibration(
        round(threshold, 4), keyword_weight, concept_weight, len(pseudo), len(off), round(pr, 3), round(orf, 3), fp
    )


def load(meta: dict[str, str]) -> Calibration | None:
    raw = meta.get("relevance_calibration")
    if not raw:
        return None
    try:
        return Calibration(**json.loads(raw))
    except (TypeError, ValueError):
        return None  # written by another version: made again
