import sqlite3

import numpy as np

from siyada.rag.store.dense import DenseIndex
from siyada.rag.store.migrations import migrate


def _unit(rng, n, dim):
    m = rng.normal(size=(n, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def _db(tmp_path, vectors):
    conn = sqlite3.connect(tmp_path / "d.sqlite", isolation_level=None)
    migrate(conn)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for i, v in enumerate(vectors):
        conn.execute("INSERT INTO vectors VALUES (?, ?)", (i + 1, v.tobytes()))
        conn.execute("INSERT INTO vector_log (chunk_id, op) VALUES (?, 1)", (i + 1,))
    return conn


def test_exact_search_follows_the_log(tmp_path):
    rng = np.random.default_rng(0)
    vecs = _unit(rng, 50, 16)
    conn = _db(tmp_path, vecs)
    index = DenseIndex(16, ann_threshold=10_000)
    index.sync(conn)
    assert index.search(vecs[7], 1)[0][0] == 8
    assert [i for i, _ in index.search(vecs[7], 3, allowed=np.array([1, 2]))] in ([1, 2], [2, 1])
    # another process deletes chunk 8 and adds chunk 99
    conn.execute("DELETE FROM vectors WHERE chunk_id = 8")
    conn.execute("INSERT INTO vector_log (chunk_id, op) VALUES (8, -1)")
    conn.execute("INSERT INTO vectors VALUES (99, ?)", (vecs[7].tobytes(),))
    conn.execute("INSERT INTO vector_log (chunk_id, op) VALUES (99, 1)")
    index.sync(conn)
    assert len(index) == 50 and index.search(vecs[7], 1)[0][0] == 99


def test_ann_index_above_threshold_agrees_with_exact(tmp_path):
    rng = np.random.default_rng(1)
    vecs = _unit(rng, 400, 16)
    conn = _db(tmp_path, vecs)
    ann, exact = DenseIndex(16, ann_threshold=100), DenseIndex(16, ann_threshold=10_000)
    ann.sync(conn)
    exact.sync(conn)
    assert ann._ann is not None and exact._ann is None
    hits = sum(ann.search(v, 1)[0][0] == exact.search(v, 1)[0][0] for v in vecs[:50])
    assert hits >= 48
    filtered = ann.search(vecs[0], 5, allowed=np.array([1, 300]))
    assert filtered[0][0] == 1 and len(filtered) == 2


def test_saved_ann_index_is_reloaded_and_caught_up(tmp_path, monkeypatch):
    rng = np.random.default_rng(2)
    vecs = _unit(rng, 300, 16)
    conn = _db(tmp_path, vecs)
    cache = tmp_path / "ann.usearch"
    first = DenseIndex(16, ann_threshold=100, cache=cache)
    first.sync(conn)
    assert cache.is_file()
    # another process removes chunk 5 and adds chunk 1000 after the index was saved
    conn.execute("DELETE FROM vectors WHERE chunk_id = 5")
    conn.execute("INSERT INTO vector_log (chunk_id, op) VALUES (5, -1)")
    conn.execute("INSERT INTO vectors VALUES (1000, ?)", (vecs[4].tobytes(),))
    conn.execute("INSERT INTO vector_log (chunk_id, op) VALUES (1000, 1)")
    monkeypatch.setattr(DenseIndex, "_maybe_build_ann", lambda self: None)  # must not rebuild
    second = DenseIndex(16, ann_threshold=100, cache=cache)
    second.sync(conn)
    assert second._ann is not None and len(second._ann) == 300
    assert second.search(vecs[4], 1)[0][0] == 1000
    assert 5 not in {i for i, _ in second.search(vecs[4], 10)}
