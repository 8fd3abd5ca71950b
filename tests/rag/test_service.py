"""The Python API other layers use: lifecycle, idempotent ingestion, atomic replace, search, filters."""

from __future__ import annotations

import pytest

from siyada.backends.registry import ModelRegistry
from siyada.errors import InvalidRequestError, NotFoundError
from siyada.rag.errors import EmbedderMismatchError, KnowledgeBaseExistsError
from siyada.rag.service import KnowledgeService
from siyada.settings import ModelConfig, load_settings


def write(folder, files: dict[str, str | bytes]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


CORPUS = {
    "fr/etat-civil.md": "# Etat civil\n\nPour un extrait d'acte de naissance, allez au bureau communal.\n",
    "ary/dar.txt": "الدار ديالي كبيرة بزاف وفيها جنان\n\nكنمشي للسوق نهار الجمعة",
    "en/tax.html": "<html><title>Tax</title><main><p>The property tax is paid every spring.</p></main></html>",
    "tables/prix.csv": "service,prix\npasseport,500\ncarte,75\n",
}


def test_create_list_get_delete(service):
    info = service.create("docs", description="guides")
    assert (info.name, info.store, info.embedder, info.dim, info.documents) == ("docs", "sqlite", "fake-embed", 32, 0)
    assert [i.name for i in service.list()] == ["docs"]
    with pytest.raises(KnowledgeBaseExistsError):
        service.create("docs")
    service.delete("docs")
    assert service.list() == []
    with pytest.raises(NotFoundError):
        service.get("docs")


@pytest.mark.parametrize("name", ["", "Docs", "../etc", "a/b", "-x", "x" * 65, "é"])
def test_invalid_names_are_refused(service, name):
    with pytest.raises(InvalidRequestError, match="invalid knowledge base name"):
        service.create(name)


def test_unknown_store_and_embedder(service):
    with pytest.raises(InvalidRequestError, match="unknown store"):
        service.create("a", store="faiss")
    with pytest.raises(NotFoundError):
        service.create("b", embedder="nope")


def test_add_is_idempotent_and_a_changed_file_replaces_its_chunks(kb, tmp_path):
    src = write(tmp_path / "src", CORPUS)
    report = kb.add_paths([src], tags=["guide"])
    assert report.ok and [r.status for r in report.results] == ["added"] * 4
    assert kb.info().documents == 4
    again = kb.add_paths([src])
    assert [r.status for r in again.results] == ["unchanged"] * 4
    doc_id = report.results[0].document_id
    old_chunks = {h.chunk_id for h in kb.search("acte de naissance", mode="bm25_plain")}
    (src / "ary/dar.txt").write_text("نص جديد تماما على الضرائب")
    changed = kb.add_paths([src / "ary/dar.txt"])
    assert changed.results[0].status == "replaced"
    hits = kb.search("الضرائب", top_k=3, mode="bm25")
    assert hits and hits[0].text == "نص جديد تماما على الضرائب"
    assert not kb.search("جنان", mode="bm25")
    assert {h.chunk_id for h in kb.search("acte de naissance", mode="bm25_plain")} == old_chunks
    assert kb.check() == [] and kb.document(doc_id).tags == ["guide"]


def test_hits_carry_citation_fields(kb, tmp_path):
    kb.add_paths([write(tmp_path / "src", CORPUS)])
    hit = kb.search("bureau communal acte naissance", top_k=1)[0]
    assert hit.title == "Etat civil" and hit.source.endswith("fr/etat-civil.md")
    assert hit.position == 0 and hit.metadata["heading"] == "Etat civil" and hit.metadata["format"] == "md"
    assert kb.document(hit.document_id).title == "Etat civil"


def test_arabizi_query_finds_arabic_script_passage(kb, tmp_path):
    kb.add_paths([write(tmp_path / "src", CORPUS)])
    hits = kb.search("ddar dyali kbira bzaf", top_k=1, mode="bm25")
    assert hits and "الدار" in hits[0].text
    assert not kb.search("ddar dyali kbira bzaf", mode="bm25_plain")


def test_filters_by_language_tags_and_document(kb, tmp_path):
    src = write(tmp_path / "src", CORPUS)
    kb.add_paths([src / "fr", src / "en"], tags=["public"])
    kb.add_paths([src / "ary"], tags=["interne"])
    assert {h.document_id for h in kb.search("bzaf", filters={"tags": "interne"}, top_k=10)} == {
        d.id for d in kb.documents() if d.tags == ["interne"]
    }
    langs = {h.lang for h in kb.search("tax bureau", top_k=10, filters={"lang": ["eng_Latn"]})}
    assert langs == {"eng_Latn"}
    doc = kb.documents()[0]
    assert {h.document_id for h in kb.search("x", top_k=10, filters={"document_id": doc.id}, mode="dense")} == {doc.id}
    with pytest.raises(InvalidRequestError, match="invalid filter"):
        kb.search("x", filters={"a b": 1})


def test_search_rejects_bad_arguments(kb):
    for kwargs, match in [
        ({"query": " "}, "query"),
        ({"query": "x", "top_k": 0}, "top_k"),
        ({"query": "x", "mode": "magic"}, "unknown search mode"),
    ]:
        with pytest.raises(InvalidRequestError, match=match):
            kb.search(**kwargs)


def test_remove_document(kb, tmp_path):
    report = kb.add_paths([write(tmp_path / "src", CORPUS)])
    doc_id = report.results[0].document_id
    kb.remove(doc_id)
    assert doc_id not in {d.id for d in kb.documents()} and kb.check() == []
    with pytest.raises(NotFoundError):
        kb.remove(doc_id)


def test_batch_with_bad_files_ingests_the_rest(kb, tmp_path, files):
    src = write(
        tmp_path / "src",
        {
            **CORPUS,
            "empty.txt": b"",
            "binary.txt": bytes(range(256)) * 8,
            "scan.pdf": b"%PDF-1.4\n%%EOF",
            "cut.pdf": files.pdf(["Texte " * 200])[:500],
            "secret.pdf": files.pdf(["x"], password="pw"),
            "bomb.docx": files.zip_bomb_docx(),
            "ok.pdf": files.pdf(["Horaires de la mairie: 8h a 16h."]),
            "ok.docx": files.docx("Note", {"Objet": ["Reunion lundi."]}),
            "ok.xlsx": files.xlsx([["a", "b"], [1, 2]]),
        },
    )
    with open(src / "huge.txt", "wb") as f:  # sparse: costs no disk
        f.truncate(200 * 1024 * 1024)
    report = kb.add_paths([src, tmp_path / "missing.md", str(tmp_path / "nothing-*.md")])
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in report.results}
    errors = {name: r.error for name, r in by_name.items() if r.status == "error"}
    assert set(errors) == {
        "empty.txt",
        "binary.txt",
        "scan.pdf",
        "cut.pdf",
        "secret.pdf",
        "bomb.docx",
        "huge.txt",
        "missing.md",
        "nothing-*.md",
    }
    assert "200.0 MiB" in errors["huge.txt"] and by_name["huge.txt"].status_code == 413
    assert "encrypted" in errors["secret.pdf"] and "zip bomb" in errors["bomb.docx"]
    assert all(e for e in errors.values())
    assert kb.info().documents == 7 and kb.check() == []
    assert kb.search("horaires mairie", top_k=1)[0].title == "ok"


def test_uploaded_names_cannot_escape_the_base(kb):
    for name in ["../../evil.md", "/etc/passwd.md", "..\\..\\x.md", "a/../../b.md", "\x00.md", ".."]:
        result = kb.add_bytes(name, b"# T\n\ncontenu")
        assert result.status in ("added", "unchanged", "error")
    stored = [p for p in kb.folder.rglob("*") if p.is_file()]
    assert all(kb.folder in p.parents for p in stored)
    assert {p.name for p in (kb.folder / "files").iterdir()} >= {"evil.md", "passwd.md", "x.md", "b.md"}
    assert not (kb.folder.parent / "evil.md").exists()


def test_a_base_made_by_one_process_is_visible_to_another(settings, tmp_path):
    a = KnowledgeService(settings, ModelRegistry(settings))
    b = KnowledgeService(settings, ModelRegistry(settings))
    a.create("shared")
    kb_b = b.get("shared")
    assert kb_b.search("bzaf", mode="dense") == []
    a.get("shared").add_paths([write(tmp_path / "src", CORPUS)])
    assert kb_b.search("bzaf", top_k=1)[0].text.startswith("الدار")
    a.delete("shared")
    with pytest.raises(NotFoundError):
        b.get("shared")


def test_a_base_refuses_another_embedder(settings, tmp_path):
    svc = KnowledgeService(settings, ModelRegistry(settings))
    svc.create("small", embedder="fake-embed-8")
    kb = svc.get("small")
    with pytest.raises(EmbedderMismatchError, match="uses the embedder 'fake-embed-8'"):
        kb.use_embedder(ModelRegistry(settings).embedder("fake-embed"), "fake-embed")
    changed = load_settings(
        home=settings.home,
        models=[ModelConfig(name="fake-embed-8", backend="fake", kind="embedding", params={"dim": 16})],
    )
    kb2 = KnowledgeService(changed, ModelRegistry(changed)).get("small")
    with pytest.raises(EmbedderMismatchError, match="now gives 16 dimensions"):
        kb2.search("x")
    gone = load_settings(home=settings.home, models=[ModelConfig(name="other", backend="fake", kind="embedding")])
    with pytest.raises(EmbedderMismatchError, match="not configured"):
        KnowledgeService(gone, ModelRegistry(gone)).get("small").search("x")
