"""``/v1/knowledge`` — knowledge bases over HTTP: create, list, delete, upload, search.

Uploads take several files at once (multipart field ``files``) and answer with one result per
file: 200 when all were ingested, 207 when some failed, and, when all failed, the status they
share (413 too large, 415 unsupported type, 422 unreadable) or 422 if they differ. A file over
``max_upload_bytes`` is refused by its size, before it is read into memory.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from siyada.errors import SiyadaError
from siyada.rag.ingestion import safe_filename
from siyada.rag.service import MAX_TOP_K, KnowledgeBase, KnowledgeService
from siyada.rag.types import FileResult
from siyada.serve.deps import get_state
from siyada.serve.errors import error_body
from siyada.serve.state import AppState

router = APIRouter(tags=["knowledge"])


class CreateBody(BaseModel):
    name: str = Field(description="1-64 lower-case letters, digits, '-' or '_'.")
    description: str = ""
    store: str = Field("sqlite", description="sqlite (embedded) or milvus.")
    embedder: str | None = Field(None, description="Embedding model; default: the configured default.")


class SearchBody(BaseModel):
    query: str = Field(min_length=1)
    top_k: int = Field(5, ge=1, le=MAX_TOP_K)
    filters: dict[str, Any] | None = None
    mode: str = "hybrid"


def knowledge_service(state: AppState = Depends(get_state)) -> KnowledgeService:
    svc: KnowledgeService = state.lazy("knowledge", lambda s: KnowledgeService(s.settings, s.registry))
    return svc


async def _kb(svc: KnowledgeService, name: str) -> KnowledgeBase:
    return await run_in_threadpool(svc.get, name)


@router.post("/v1/knowledge", status_code=201)
async def create(body: CreateBody, svc: KnowledgeService = Depends(knowledge_service)) -> dict[str, Any]:
    info = await run_in_threadpool(svc.create, body.name, body.description, body.store, body.embedder)
    return {"object": "knowledge_base", **asdict(info)}


@router.get("/v1/knowledge")
async def list_bases(svc: KnowledgeService = Depends(knowledge_service)) -> dict[str, Any]:
    infos = await run_in_threadpool(svc.list)
    return {"object": "list", "data": [{"object": "knowledge_base", **asdict(i)} for i in infos]}


@router.get("/v1/knowledge/{kb}")
async def get_base(kb: str, svc: KnowledgeService = Depends(knowledge_service)) -> dict[str, Any]:
    base = await _kb(svc, kb)
    info = asdict(await run_in_threadpool(base.info))
    try:
        relevance: dict[str, Any] | None = (await run_in_threadpool(base.calibration)).to_dict()
    except SiyadaError:  # e.g. its embedder is no longer configured: the base is still listed
        relevance = None
    return {"object": "knowledge_base", **info, "relevance": relevance}


@router.delete("/v1/knowledge/{kb}")
async def delete_base(kb: str, svc: KnowledgeService = Depends(knowledge_service)) -> dict[str, Any]:
    await run_in_threadpool(svc.delete, kb)
    return {"id": kb, "object": "knowledge_base", "deleted": True}


async def _read_capped(upload: UploadFile, limit: int) -> bytes | None:
    if upload.size is not None and upload.size > limit:  # known from the multipart parser: read nothing
        return None
    data = await upload.read(limit + 1)
    return None if len(data) > limit else data


def _upload_status(results: list[FileResult]) -> int:
    failed = [r for r in results if r.status == "error"]
    if not failed:
        return 200
    if len(failed) < len(results):
        return 207
    codes = {r.status_code for r in failed}
    return codes.pop() if len(codes) == 1 else 422


@router.post("/v1/knowledge/{kb}/documents")
async def upload(
    kb: str,
    files: list[UploadFile] = File(description="One or more files (PDF, DOCX, HTML, MD, TXT, CSV, XLSX)."),
    tags: str | None = Form(None, description="Comma-separated tags for every file."),
    state: AppState = Depends(get_state),
    svc: KnowledgeService = Depends(knowledge_service),
) -> JSONResponse:
    base = await _kb(svc, kb)
    tag_list = [t.strip() for t in (tags or "").split(",") if t.strip()]
    limit = state.settings.max_upload_bytes
    results: list[FileResult] = []
    for f in files:
        name = safe_filename(f.filename or "")
        data = await _read_capped(f, limit)
        if data is None:
            results.append(
                FileResult(
                    name, "error", error=f"file is over the {limit / 2**20:.1f} MiB upload limit", status_code=413
                )
            )
            continue
        results.append(await run_in_threadpool(base.add_bytes, name, data, tags=tag_list))
    status = _upload_status(results)
    body: dict[str, Any] = {"object": "list", "data": [_result_json(r) for r in results]}
    if status >= 400:
        first = next(r for r in results if r.status == "error")
        body.update(error_body(f"{first.path}: {first.error}", "invalid_request_error", code="ingest_failed"))
    return JSONResponse(body, status_code=status)


def _result_json(r: FileResult) -> dict[str, Any]:
    return {
        "filename": r.path,
        "status": r.status,
        "document_id": r.document_id,
        "chunks": r.chunks,
        "error": r.error,
        "status_code": r.status_code,
    }


@router.get("/v1/knowledge/{kb}/documents")
async def list_documents(kb: str, svc: KnowledgeService = Depends(knowledge_service)) -> dict[str, Any]:
    base = await _kb(svc, kb)
    docs = await run_in_threadpool(base.documents)
    return {"object": "list", "data": [{"object": "document", **asdict(d)} for d in docs]}


@router.get("/v1/knowledge/{kb}/documents/{document_id}")
async def get_document(kb: str, document_id: str, svc: KnowledgeService = Depends(knowledge_service)) -> dict[str, Any]:
    base = await _kb(svc, kb)
    return {"object": "document", **asdict(await run_in_threadpool(base.document, document_id))}


@router.delete("/v1/knowledge/{kb}/documents/{document_id}")
async def delete_document(
    kb: str, document_id: str, svc: KnowledgeService = Depends(knowledge_service)
) -> dict[str, Any]:
    base = await _kb(svc, kb)
    await run_in_threadpool(base.remove, document_id)
    return {"id": document_id, "object": "document", "deleted": True}


@router.post("/v1/knowledge/{kb}/search")
async def search(kb: str, body: SearchBody, svc: KnowledgeService = Depends(knowledge_service)) -> dict[str, Any]:
    base = await _kb(svc, kb)
    hits = await run_in_threadpool(base.search, body.query, body.top_k, body.filters, body.mode)
    return {"object": "list", "data": [asdict(h) for h in hits]}
