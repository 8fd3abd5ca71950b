"""SqliteStore details the service tests do not reach: near-stopword pruning, file layout."""

from __future__ import annotations

from siyada.rag.store import sqlite


def test_terms_in_most_chunks_are_skipped_in_large_bases(kb, tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(10):
        (src / f"d{i}.txt").write_text(f"commun mot{i}" + (" rare" if i == 3 else ""))
    kb.add_paths([src])
    monkeypatch.setattr(sqlite, "COMMON_TERM_MIN_CHUNKS", 5)
    store = kb.store
    hits = store.keyword(["commun", "rare"], "plain", 10, None)
    assert len(hits) == 1  # "commun" is in every chunk: only "rare" is searched
    assert len(store.keyword(["commun"], "plain", 10, None)) == 10  # all common: the rarest are kept
    monkeypatch.setattr(sqlite, "COMMON_TERM_MIN_CHUNKS", 5_000)
    assert len(store.keyword(["commun", "rare"], "plain", 10, None)) == 10


def test_one_file_per_base_in_wal_mode(kb):
    assert (kb.folder / "kb.sqlite").is_file()
    assert kb.store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
