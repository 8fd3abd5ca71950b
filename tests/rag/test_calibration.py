"""Per-base relevance calibration and the concept bridge inside a knowledge base (fake embedder).

The fake embedder's vectors are hashes, so these tests check the mechanics — what is computed,
when it is made again, the edge cases (empty base, one document, one language) — not quality;
quality is measured by bench/agents.py on the real embedder.
"""

from __future__ import annotations

import pytest

from siyada.lang.concepts import concept_token, lexicon_version
from siyada.rag import calibration
from siyada.rag.calibration import choose_threshold, pseudo_questions
from siyada.rag.service import KnowledgeBase, KnowledgeService

FRENCH = (
    "# Horaires\n\nLa mairie est ouverte du lundi au vendredi de 8h30 à 16h30. "
    "Le bureau de l'état civil reçoit aussi le courrier et les dossiers.\n"
)
DARIJA = (
    "# شهادة السكنى\n\nباش تاخد شهادة السكنى خاصك تجيب لاكارط ناسيونال و فاتورة ديال الضو. "
    "كتخلص عشرين درهم فالگيشي والمكتب كيحل حتى نهار السبت فالصباح.\n"
)


def test_threshold_is_a_probe_quantile_capped_by_the_pseudo_questions() -> None:
    t, pseudo_refused, probes_refused = choose_threshold([0.9, 0.92, 0.95], [0.7, 0.8, 0.85, 0.88], 0.5, 0.05)
    assert t == pytest.approx(0.825) and pseudo_refused == 0 and probes_refused == 0.5
    # Probes as close as the base's own questions (a bank's base, banking probes): the cap wins.
    t, pseudo_refused, _ = choose_threshold([0.80, 0.81, 0.9], [0.85, 0.9, 0.95], 0.5, 0.0)
    assert t == pytest.approx(0.80) and pseudo_refused == 0


def test_empty_base_has_no_threshold(kb: KnowledgeBase) -> None:
    cal = kb.calibration()
    assert cal.threshold is None and cal.pseudo == 0
    assert kb.relevance("la mairie ouvre samedi ?").closeness is None


def test_one_document_base_is_calibrated_and_remade_when_documents_change(kb: KnowledgeBase) -> None:
    kb.add_bytes("horaires.md", FRENCH.encode())
    first = kb.calibration()
    assert first.threshold is not None and first.pseudo > 0 and first.probes == len(calibration.probes())
    assert kb.calibration() == first  # stored, not made again
    assert kb.store.meta()["relevance_calibration"]
    kb.add_bytes("sokna.md", DARIJA.encode())
    second = kb.calibration()
    assert second.fingerprint != first.fingerprint and second.pseudo > first.pseudo


def test_single_language_base_is_calibrated(kb: KnowledgeBase) -> None:
    kb.add_bytes("sokna.md", DARIJA.encode())
    cal = kb.calibration()
    assert cal.threshold is not None and 0 <= cal.pseudo_refused <= 1


def test_pseudo_questions_cross_languages_and_scripts() -> None:
    qs = pseudo_questions([(DARIJA, "ary_Arab"), (FRENCH, "fra_Latn")])
    assert any(q.isascii() for q in qs[:4])  # the Darija fragment in Arabizi or said in French
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in q) for q in qs[4:])  # French said in Arabic


def test_french_question_meets_the_darija_document_through_concepts(kb: KnowledgeBase) -> None:
    kb.add_bytes("horaires.md", FRENCH.encode())
    kb.add_bytes("sokna.md", DARIJA.encode())
    hits = kb.search("ouvert le samedi ?", top_k=2, mode="concepts")
    assert hits[0].title == "شهادة السكنى"  # the only document naming Saturday (both say "open")
    # Without concepts no word is shared: keyword search never reaches the Darija document.
    assert all(h.title != "شهادة السكنى" for h in kb.search("ouvert le samedi ?", top_k=2, mode="bm25"))


def test_concept_tokens_are_remade_when_the_lexicon_changes(kb: KnowledgeBase) -> None:
    kb.add_bytes("sokna.md", DARIJA.encode())
    token = concept_token("saturday")
    assert token in " ".join(kb.store.indexed([c for c in _ids(kb)], "concepts").values())
    with kb.store._transaction() as conn:  # a base made with another lexicon
        conn.execute("DELETE FROM concepts_fts")
    kb.store.set_meta({"concepts_version": "old"})
    kb._concepts_version = None
    assert kb.search("ouvert le samedi ?", top_k=1, mode="concepts")
    assert kb.store.meta()["concepts_version"] == lexicon_version()


def _ids(kb: KnowledgeBase) -> list[int]:
    return [int(r[0]) for r in kb.store._conn.execute("SELECT id FROM chunks")]


def test_api_and_service_report_the_calibration(service: KnowledgeService) -> None:
    service.create("one")
    kb = service.get("one")
    kb.add_bytes("horaires.md", FRENCH.encode())
    assert kb.calibration().to_dict()["threshold"] is not None
