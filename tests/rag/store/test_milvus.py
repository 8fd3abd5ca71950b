"""The Milvus store against milvus-lite: same behaviour as SQLite, vectors in Milvus."""

from __future__ import annotations

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

DOCS = {
    "a.md": "# Impots\n\nLa taxe d'habitation se paie au printemps.",
    "b.txt": "الدار ديالي كبيرة بزاف",
    "c.txt": "Tamazight: ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ",
}


@pytest.fixture
def mkb(service, tmp_path):
    service.create("vec", store="milvus")
    kb = service.get("vec")
    src = tmp_path / "src"
    src.mkdir()
    for name, text in DOCS.items():
        (src / name).write_text(text)
    kb.add_paths([src])
    return kb, src


def test_milvus_store_ingests_searches_and_stays_consistent(mkb):
    kb, _src = mkb
    assert kb.info().store == "milvus" and kb.info().documents == 3
    assert (kb.folder / "vectors.milvus.db").exists()
    assert kb.search("bzaf ddar", top_k=1)[0].text == "الدار ديالي كبيرة بزاف"
    dense = kb.search("taxe d'habitation printemps", top_k=3, mode="dense")
    assert len(dense) == 3 and all(-1.01 <= h.score <= 1.01 for h in dense)
    only = kb.search("x", top_k=5, mode="dense", filters={"format": "md"})
    assert [h.title for h in only] == ["Impots"]
    assert kb.check() == []


def test_milvus_replace_and_remove_drop_old_vectors(mkb):
    kb, src = mkb
    (src / "b.txt").write_text("نص جديد على الضرائب")
    assert kb.add_paths([src / "b.txt"]).results[0].status == "replaced"
    texts = {h.text for h in kb.search("x", top_k=10, mode="dense")}
    assert "نص جديد على الضرائب" in texts and "الدار ديالي كبيرة بزاف" not in texts
    doc = next(d for d in kb.documents() if d.title == "c")
    kb.remove(next(d.id for d in kb.documents() if d.title == "Impots"))
    assert len(kb.search("x", top_k=10, mode="dense")) == 2 and kb.check() == []
    assert doc.id in {d.id for d in kb.documents()}


def test_orphan_vectors_from_a_crash_are_never_returned(mkb):
    kb, _src = mkb
    import numpy as np

    from siyada.rag.store.milvus import COLLECTION

    # A crash between the Milvus upsert and the SQLite commit leaves vectors no chunk owns.
    query = np.asarray(kb.embedder.embed(["fantome"], kind="query")[0], dtype=np.float32)
    kb.store._client.upsert(COLLECTION, [{"id": 123456789, "vector": query.tolist()}])
    hits = kb.search("fantome", top_k=3, mode="dense")
    assert 123456789 not in {h.chunk_id for h in hits} and len(hits) == 3


def test_a_locked_milvus_lite_file_is_a_clear_error_in_another_process(mkb, settings):
    import os
    import subprocess
    import sys

    import yaml

    (settings.home / "config.yaml").write_text(
        yaml.safe_dump(
            {
                "models": [{"name": "fake-embed", "backend": "fake", "kind": "embedding", "params": {"dim": 32}}],
                "default_embedding_model": "fake-embed",
            }
        )
    )
    env = {**os.environ, "SIYADA_HOME": str(settings.home)}
    proc = subprocess.run(
        [sys.executable, "-m", "siyada.cli.main", "kb", "search", "vec", "impots"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1].startswith("error: cannot open Milvus at"), proc.stderr
    assert "Traceback" not in proc.stderr
