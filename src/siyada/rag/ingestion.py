"""Turns files into stored chunks: read, hash, parse, chunk, tag, embed in batches, store.

Key decisions. A document's id comes from its source (absolute path, or ``upload:<name>``), so
adding the same file again finds it: an unchanged content hash does nothing, a changed one
replaces the document's chunks in one transaction. Embedding is batched *across* files (a batch
is flushed once ``batch_chunks`` chunks wait), so many small files embed as fast as one big one.
Every per-file failure becomes an error :class:`FileResult`; the batch goes on.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from siyada.backends.base import Embedder
from siyada.errors import SiyadaError
from siyada.rag import ingest
from siyada.rag.analyze import concept_text, key_text, language, plain_text
from siyada.rag.chunk import ChunkConfig, chunk_blocks
from siyada.rag.errors import FileTooLargeError, IngestError
from siyada.rag.ingest.sources import expand
from siyada.rag.store.base import IndexedChunk, Store
from siyada.rag.types import Chunk, Document, FileResult, IngestReport, ParsedFile

Progress = Callable[[int, int, str], None]
_UNSAFE = re.compile(r"[^\w.\- ()+,@&=]+")


def document_id(source: str) -> str:
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()


def chunk_id(doc_id: str, content_hash: str, position: int) -> int:
    # 53 bits: exact in JSON numbers (JavaScript), never reused for different text.
    digest = hashlib.blake2b(f"{doc_id}:{content_hash}:{position}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & ((1 << 53) - 1)


def safe_filename(name: str) -> str:
    """The last path component of an uploaded name, without separators, control or odd characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", "".join(c for c in name if unicodedata.category(c)[0] != "C")).strip(" .")
    stem, suffix = os.path.splitext(name)
    return (stem[:150] or "upload") + suffix[:16]


@dataclass(slots=True)
class _Pending:
    result: FileResult
    doc: Document
    chunks: list[IndexedChunk]
    on_stored: Callable[[], None] | None = None


@dataclass
class Ingestor:
    store: Store
    embedder: Embedder
    max_bytes: int
    chunking: ChunkConfig = field(default_factory=ChunkConfig)
    batch_chunks: int = 128
    _pending: list[_Pending] = field(default_factory=list)

    def add_paths(
        self, paths: Sequence[str | Path], *, tags: list[str] | None = None, progress: Progress | None = None
    ) -> IngestReport:
        files, missing = expand(paths)
        report = IngestReport(results=list(missing))
        for n, path in enumerate(files, start=1):
            result = FileResult(str(path), "error")
            report.results.append(result)
            try:
                size = path.stat().st_size
                self._check_size(size)
                self._prepare(result, str(path), path.name, path.read_bytes(), tags, None)
            except (SiyadaError, OSError) as exc:
                _fail(result, exc)
            if progress is not None:
                progress(n, len(files), str(path))
        self.flush()
        return report

    def add_bytes(
        self,
        filename: str,
        data: bytes,
        *,
        tags: list[str] | None = None,
        title: str | None = None,
        files_dir: Path | None = None,
    ) -> FileResult:
        name = safe_filename(filename)
        result = FileResult(name, "error")
        try:
            self._check_size(len(data))
            on_stored = None if files_dir is None else (lambda: _keep_upload(files_dir, name, data))
            extra = {} if files_dir is None else {"stored_as": f"{files_dir.name}/{name}"}
            self._prepare(result, name, name, data, tags, title, upload=True, on_stored=on_stored, extra=extra)
            self.flush()
        except (SiyadaError, OSError) as exc:
            _fail(result, exc)
        return result

    def _check_size(self, size: int) -> None:
        if size > self.max_bytes:
            raise FileTooLargeError(
                f"file is {size / 2**20:.1f} MiB, over the {self.max_bytes / 2**20:.1f} MiB limit (max_upload_bytes)"
            )

    def _prepare(
        self,
        result: FileResult,
        source: str,
        name: str,
        data: bytes,
        tags: list[str] | None,
        title: str | None,
        upload: bool = False,
        on_stored: Callable[[], None] | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        doc_id = document_id(f"upload:{source}" if upload else source)
        content_hash = hashlib.sha256(data).hexdigest()
        result.document_id = doc_id
        old = self.store.document(doc_id)
        if old is not None and old.content_hash == content_hash:
            result.status, result.chunks, result.status_code = "unchanged", old.chunks, 200
            return
        parsed = ingest.read(name, data)
        now = time.time()
        doc = Document(
            id=doc_id,
            title=title or parsed.title,
            source=source,
            format=parsed.format,
            content_hash=content_hash,
            size=len(data),
            tags=list(tags) if tags is not None else (old.tags if old else []),
            created_at=old.created_at if old else now,
            updated_at=now,
            metadata={**parsed.metadata, **(extra or {})},
        )
        chunks = self._chunks(doc, parsed)
        doc.lang = _dominant(chunks)
        result.status = "replaced" if old is not None else "added"
        result.status_code = 200
        self._pending.append(_Pending(result, doc, chunks, on_stored))
        if sum(len(p.chunks) for p in self._pending) >= self.batch_chunks:
            self.flush()

    def _chunks(self, doc: Document, parsed: ParsedFile) -> list[IndexedChunk]:
        out = []
        for position, block in enumerate(chunk_blocks(parsed.blocks, self.chunking)):
            indexed = f"{block.heading}\n{block.text}" if block.heading else block.text
            chunk = Chunk(
                id=chunk_id(doc.id, doc.content_hash, position),
                document_id=doc.id,
                position=position,
                text=block.text,
                heading=block.heading,
                lang=language(block.text),
                page=block.page,
            )
            out.append(IndexedChunk(chunk, plain_text(indexed), key_text(indexed), concept_text(indexed, chunk.lang)))
        return out

    def flush(self) -> None:
        """Embed every waiting chunk in one call, then store each document in its own transaction."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        texts = [_embed_text(c) for p in pending for c in p.chunks]
        try:
            vectors = np.asarray(self.embedder.embed(texts, kind="passage"), dtype=np.float32)
        except SiyadaError as exc:
            for p in pending:
                _fail(p.result, exc)
            return
        offset = 0
        for p in pending:
            block = vectors[offset : offset + len(p.chunks)]
            offset += len(p.chunks)
            try:
                self.store.put(p.doc, p.chunks, block)
                if p.on_stored is not None:
                    p.on_stored()
                p.result.chunks = len(p.chunks)
            except (SiyadaError, OSError) as exc:
                _fail(p.result, exc)


def _embed_text(c: IndexedChunk) -> str:
    return f"{c.chunk.heading}\n{c.chunk.text}" if c.chunk.heading else c.chunk.text


def _dominant(chunks: list[IndexedChunk]) -> str:
    weights: Counter[str] = Counter()
    for c in chunks:
        weights[c.chunk.lang] += len(c.chunk.text)
    return weights.most_common(1)[0][0] if weights else "und"


def _fail(result: FileResult, exc: BaseException) -> None:
    result.status = "error"
    result.chunks = 0
    if isinstance(exc, SiyadaError):
        result.error, result.status_code = exc.message, exc.status_code
    else:
        result.error, result.status_code = f"cannot read file: {getattr(exc, 'strerror', None) or exc}", 422


def _keep_upload(files_dir: Path, name: str, data: bytes) -> None:
    """Keep the uploaded original inside the base's folder (never outside it)."""
    files_dir.mkdir(parents=True, exist_ok=True)
    target = (files_dir / name).resolve()
    if target.parent != files_dir.resolve():
        raise IngestError(f"invalid file name '{name}'")
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
