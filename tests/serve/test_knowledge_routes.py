"""/v1/knowledge over a real app with the fake embedder: lifecycle, uploads, search, bad input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from siyada.backends.registry import ModelRegistry
from siyada.rag.service import KnowledgeService


@pytest.fixture
def kclient(make_app):
    app, _ = make_app({"max_upload_bytes": 4096})
    with TestClient(app) as c:
        yield c


def _create(client, name="docs"):
    r = client.post("/v1/knowledge", json={"name": name, "description": "guides"})
    assert r.status_code == 201, r.text
    return r.json()


def test_lifecycle_upload_search_delete(kclient):
    assert _create(kclient)["embedder"] == "fake-embed"
    assert [b["name"] for b in kclient.get("/v1/knowledge").json()["data"]] == ["docs"]
    files = [
        ("files", ("dar.txt", "الدار ديالي كبيرة بزاف".encode(), "text/plain")),
        ("files", ("guide.md", b"# Guide\n\nLe bureau ouvre a 8h.", "text/markdown")),
    ]
    r = kclient.post("/v1/knowledge/docs/documents", files=files, data={"tags": "public, 2025"})
    assert r.status_code == 200, r.text
    results = r.json()["data"]
    assert [x["status"] for x in results] == ["added", "added"]

    r = kclient.post(
        "/v1/knowledge/docs/search", json={"query": "ddar kbira bzaf", "top_k": 1, "filters": {"tags": "public"}}
    )
    hit = r.json()["data"][0]
    assert hit["text"] == "الدار ديالي كبيرة بزاف" and hit["title"] == "dar" and hit["source"] == "dar.txt"
    assert {"text", "score", "document_id", "title", "source", "chunk_id"} <= set(hit)

    doc_id = results[1]["document_id"]
    doc = kclient.get(f"/v1/knowledge/docs/documents/{doc_id}").json()
    assert doc["title"] == "Guide" and doc["tags"] == ["public", "2025"]
    assert kclient.delete(f"/v1/knowledge/docs/documents/{doc_id}").json()["deleted"] is True
    assert kclient.get(f"/v1/knowledge/docs/documents/{doc_id}").status_code == 404
    assert len(kclient.get("/v1/knowledge/docs/documents").json()["data"]) == 1
    assert kclient.delete("/v1/knowledge/docs").status_code == 200
    assert kclient.get("/v1/knowledge").json()["data"] == []


def test_mixed_batch_is_207_with_per_file_errors(kclient):
    _create(kclient)
    files = [
        ("files", ("ok.md", b"# A\n\ntexte", "text/markdown")),
        ("files", ("big.txt", b"a " * 5000, "text/plain")),
        ("files", ("bin.txt", b"\x00\x01\x02", "text/plain")),
        ("files", ("prog.exe", b"MZ", "application/octet-stream")),
        ("files", ("empty.txt", b"", "text/plain")),
    ]
    r = kclient.post("/v1/knowledge/docs/documents", files=files)
    assert r.status_code == 207
    by_name = {x["filename"]: x for x in r.json()["data"]}
    assert by_name["ok.md"]["status"] == "added"
    assert by_name["big.txt"]["status_code"] == 413 and "upload limit" in by_name["big.txt"]["error"]
    assert by_name["bin.txt"]["status_code"] == 422 and "binary" in by_name["bin.txt"]["error"]
    assert by_name["prog.exe"]["status_code"] == 415
    assert by_name["empty.txt"]["error"] == "empty file"
    assert kclient.get("/v1/knowledge/docs").json()["documents"] == 1


def test_all_failed_batches_answer_their_shared_status(kclient):
    _create(kclient)
    r = kclient.post("/v1/knowledge/docs/documents", files=[("files", ("big.txt", b"a" * 5000, "text/plain"))])
    assert r.status_code == 413 and r.json()["error"]["code"] == "ingest_failed"
    r = kclient.post(
        "/v1/knowledge/docs/documents",
        files=[("files", ("x.exe", b"MZ", "x")), ("files", ("e.txt", b"", "text/plain"))],
    )
    assert r.status_code == 422


def test_upload_names_cannot_escape(kclient, make_app):
    _create(kclient)
    r = kclient.post(
        "/v1/knowledge/docs/documents", files=[("files", ("../../../escape.md", b"# E\n\nx", "text/markdown"))]
    )
    assert r.status_code == 200 and r.json()["data"][0]["filename"] == "escape.md"


def test_validation_and_not_found(kclient):
    assert kclient.post("/v1/knowledge", json={"name": "../x"}).status_code == 400
    assert kclient.post("/v1/knowledge", json={}).status_code == 422
    _create(kclient)
    assert kclient.post("/v1/knowledge", json={"name": "docs"}).status_code == 409
    assert kclient.get("/v1/knowledge/nope").status_code == 404
    assert kclient.post("/v1/knowledge/nope/search", json={"query": "x"}).status_code == 404
    assert kclient.delete("/v1/knowledge/docs/documents/abc").status_code == 404
    assert kclient.post("/v1/knowledge/docs/search", json={"query": ""}).status_code == 422
    assert kclient.post("/v1/knowledge/docs/search", json={"query": "x", "top_k": 1000}).status_code == 422
    r = kclient.post("/v1/knowledge/docs/search", json={"query": "x", "filters": {"a-b": 1}})
    assert r.status_code == 400 and "invalid filter" in r.json()["error"]["message"]
    assert kclient.post("/v1/knowledge/docs/search", json={"query": "x", "mode": "x"}).status_code == 400


def test_a_base_filled_outside_the_server_is_served(make_app, tmp_path):
    app, registry = make_app()
    with TestClient(app) as client:
        _create(client, "shared")
        assert client.post("/v1/knowledge/shared/search", json={"query": "bzaf"}).json()["data"] == []
        # the CLI, another process, fills the base with its own service
        other = KnowledgeService(registry.settings, ModelRegistry(registry.settings))
        (tmp_path / "d.txt").write_text("الدار ديالي كبيرة بزاف")
        other.get("shared").add_paths([tmp_path / "d.txt"])
        other.create("later")
        data = client.post("/v1/knowledge/shared/search", json={"query": "bzaf"}).json()["data"]
        assert data and data[0]["text"] == "الدار ديالي كبيرة بزاف"
        assert {b["name"] for b in client.get("/v1/knowledge").json()["data"]} == {"shared", "later"}
        other.close()
