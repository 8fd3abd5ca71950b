"""Knowledge bases as a service: create, list, open, fill, search, delete.

One folder per base under ``settings.knowledge_dir`` (``$SIYADA_HOME/knowledge/<name>/``), holding
``kb.sqlite`` and, for uploads, ``files/``. Everything a base needs to reopen (store kind,
embedder name and dimension) is in the SQLite file's ``meta`` table, so any process (the CLI,
a running server) sees the same bases: :meth:`KnowledgeService.list` reads the folder each time
and an open base catches up with other writers on every search. A base refuses an embedder other
than the one its vectors were made with. The API is synchronous; the HTTP layer runs it in a
thread pool.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from siyada.backends.base import Embedder
from siyada.backends.registry import ModelRegistry
from siyada.errors import InvalidRequestError, ModelNotFoundError, NotFoundError
from siyada.lang.concepts import lexicon_version
from siyada.rag.analyze import concept_text
from siyada.rag.calibration import Calibration, calibrate, fingerprint
from siyada.rag.calibration import load as calibration_load
from siyada.rag.errors import EmbedderMismatchError, KnowledgeBaseExistsError
from siyada.rag.ingestion import Ingestor, Progress
from siyada.rag.relevance import Signals, relevance_defaults, signals
from siyada.rag.retrieve import rank
from siyada.rag.store.base import STORES, Store, open_store
from siyada.rag.store.sqlite import FILENAME, SqliteStore
from siyada.rag.types import Document, FileResult, Hit, IngestReport, KBInfo
from siyada.settings import Settings

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_TOP_K = 100


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise InvalidRequestError(
            f"invalid knowledge base name {name!r}: use 1-64 lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit",
            param="name",
        )
    return name


class KnowledgeBase:
    def __init__(self, name: str, folder: Path, store: Store, registry: ModelRegistry, settings: Settings) -> None:
        self.name = name
        self.folder = folder
        self.store = store
        self._registry = registry
        self._settings = settings
        self._meta = store.meta()
        self._embedder: Embedder | None = None
        self._concepts_version: str | None = None
        self._rekey_lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._load_embedder()
        return self._embedder

    def _load_embedder(self) -> Embedder:
        name, dim = self._meta["embedder"], int(self._meta["dim"])
        try:
            embedder = self._registry.embedder(name)
        except ModelNotFoundError:
            raise EmbedderMismatchError(
                f"knowledge base '{self.name}' was built with the embedder '{name}', which is not "
                "configured; add it to the models or rebuild the base"
            ) from None
        if embedder.dim != dim:
            raise EmbedderMismatchError(
                f"knowledge base '{self.name}' holds {dim}-dimensional vectors from '{name}', but that "
                f"embedder now gives {embedder.dim} dimensions; rebuild the base"
            )
        return embedder

    def use_embedder(self, embedder: Embedder, name: str) -> None:
        """Use an already-built embedder (benchmarks, tests); it must be the base's own."""
        if name != self._meta["embedder"] or embedder.dim != int(self._meta["dim"]):
            raise EmbedderMismatchError(
                f"knowledge base '{self.name}' uses the embedder '{self._meta['embedder']}' "
                f"({self._meta['dim']} dimensions), not '{name}' ({embedder.dim})"
            )
        self._embedder = embedder

    def info(self) -> KBInfo:
        docs, chunks = self.store.counts()
        m = self._meta
        return KBInfo(
            name=self.name,
            description=m.get("description", ""),
            store=m["store"],
            embedder=m["embedder"],
            dim=int(m["dim"]),
            documents=docs,
            chunks=chunks,
            created_at=float(m.get("created_at", 0)),
        )

    def ensure_concepts(self) -> None:
        """Re-key the base's concept tokens when the bundled lexicon changed since they were made.

        Text work only (no embedding): a few milliseconds per hundred chunks. The version is read
        from the store each time, so a base re-keyed by another process is not re-keyed again.
        """
        version = lexicon_version()
        if self._concepts_version == version:
            return
        with self._rekey_lock:
            if self.store.meta().get("concepts_version") != version:
                self.store.rekey_concepts(concept_text)
                self.store.set_meta({"concepts_version": version})
            self._concepts_version = version

    def _ingestor(self) -> Ingestor:
        self.ensure_concepts()
        return Ingestor(self.store, self.embedder, self._settings.max_upload_bytes)

    def add_paths(
        self, paths: Sequence[str | Path], *, tags: list[str] | None = None, progress: Progress | None = None
    ) -> IngestReport:
        return self._ingestor().add_paths(list(paths), tags=tags, progress=progress)

    def add_bytes(
        self, filename: str, data: bytes, *, tags: list[str] | None = None, title: str | None = None
    ) -> FileResult:
        return self._ingestor().add_bytes(filename, data, tags=tags, title=title, files_dir=self.folder / "files")

    def documents(self) -> list[Document]:
        return self.store.documents()

    def document(self, document_id: str) -> Document:
        doc = self.store.document(document_id)
        if doc is None:
            raise NotFoundError(f"knowledge base '{self.name}' has no document '{document_id}'")
        return doc

    def remove(self, document_id: str) -> None:
        doc = self.document(document_id)
        self.store.remove(document_id)
        stored = doc.metadata.get("stored_as")
        if isinstance(stored, str):
            (self.folder / stored).unlink(missing_ok=True)

    def search(
        self, query: str, top_k: int = 5, filters: dict[str, Any] | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        if not isinstance(query, str) or not query.strip():
            raise InvalidRequestError("query must be a non-empty string", param="query")
        if not 1 <= top_k <= MAX_TOP_K:
            raise InvalidRequestError(f"top_k must be between 1 and {MAX_TOP_K}", param="top_k")
        self.ensure_concepts()
        ranked = rank(self.store, self.embedder, query, top_k + 8, filters, mode)
        found = self.store.chunks([cid for cid, _ in ranked])
        hits = []
        for cid, score in ranked:
            if cid not in found:  # an orphan vector (see store.milvus); never a citation
                continue
            chunk, doc = found[cid]
            hits.append(
                Hit(
                    text=chunk.text,
                    score=score,
                    document_id=doc.id,
                    title=doc.title,
                    source=doc.source,
                    chunk_id=cid,
                    position=chunk.position,
                    lang=chunk.lang,
                    metadata={
                        "heading": chunk.heading,
                        "page": chunk.page,
                        "format": doc.format,
                        "tags": doc.tags,
                        "document_lang": doc.lang,
                    },
                )
            )
        return hits[:top_k]

    def relevance(self, query: str) -> Signals:
        """The question's relevance signals against this base (:mod:`siyada.rag.relevance`)."""
        self.ensure_concepts()
        return signals(self.store, self.embedder, query)

    def relevance_weights(self) -> dict[str, float]:
        return relevance_defaults(self._meta["embedder"])

    def calibration(self) -> Calibration:
        """This base's relevance threshold, made again when its documents or the lexicon changed."""
        self.ensure_concepts()
        name = self._meta["embedder"]
        with self._rekey_lock:
            current = calibration_load(self.store.meta())
            if current is not None and current.fingerprint == fingerprint(self.store, name):
                return current
            w = relevance_defaults(name)
            made = calibrate(self.store, self.embedder, name, w)
            self.store.set_meta({"relevance_calibration": json.dumps(made.to_dict())})
            return made

    def check(self) -> list[str]:
        return self.store.check()

    def close(self) -> None:
        self.store.close()


class KnowledgeService:
    def __init__(self, settings: Settings, registry: ModelRegistry) -> None:
        self.settings = settings
        self.registry = registry
        self.root = settings.knowledge_dir
        self._open: dict[str, KnowledgeBase] = {}
        self._lock = threading.RLock()

    def _folder(self, name: str) -> Path:
        return self.root / check_name(name)

    def create(
        self,
        name: str,
        description: str = "",
        store: str = "sqlite",
        embedder: str | None = None,
        options: dict[str, Any] | None = None,
    ) -> KBInfo:
        folder = self._folder(name)
        if store not in STORES:
            raise InvalidRequestError(f"unknown store '{store}' (known: {', '.join(STORES)})", param="store")
        embedder_name = embedder or self.settings.default_embedding_model
        dim = self.registry.embedder(embedder_name).dim
        with self._lock:
            if (folder / FILENAME).exists():
                raise KnowledgeBaseExistsError(f"knowledge base '{name}' already exists")
            self.root.mkdir(parents=True, exist_ok=True)
            # Built in a hidden folder and renamed into place: a half-created base is never listed.
            tmp = self.root / f".creating-{name}-{secrets.token_hex(4)}"
            tmp.mkdir()
            meta = {
                "name": name,
                "description": description,
                "store": store,
                "embedder": embedder_name,
                "dim": str(dim),
                "created_at": str(time.time()),
            }
            meta.update({k: str(v) for k, v in (options or {}).items()})
            sqlite = SqliteStore(tmp, {})
            sqlite.set_meta(meta)
            sqlite.close()
            try:
                tmp.rename(folder)
            except OSError:
                shutil.rmtree(tmp, ignore_errors=True)
                raise KnowledgeBaseExistsError(f"knowledge base '{name}' already exists") from None
        return self.get(name).info()

    def list(self) -> list[KBInfo]:
        if not self.root.is_dir():
            return []
        infos = []
        for folder in sorted(self.root.iterdir()):
            if NAME_RE.match(folder.name) and (folder / FILENAME).is_file():
                try:
                    infos.append(self.get(folder.name).info())
                except NotFoundError:  # deleted meanwhile by another process
                    continue
        return infos

    def get(self, name: str) -> KnowledgeBase:
        folder = self._folder(name)
        with self._lock:
            kb = self._open.get(name)
            if kb is not None and (folder / FILENAME).exists():
                return kb
            if kb is not None:  # removed by another process
                self._open.pop(name).close()
            if not (folder / FILENAME).is_file():
                raise NotFoundError(f"knowledge base '{name}' does not exist", param="knowledge_base")
            meta = SqliteStore(folder, {})
            try:
                values = meta.meta()
            finally:
                meta.close()
            options = {"uri": values["uri"]} if "uri" in values else {}
            kb = KnowledgeBase(
                name, folder, open_store(values.get("store", "sqlite"), folder, options), self.registry, self.settings
            )
            self._open[name] = kb
            return kb

    def delete(self, name: str) -> None:
        kb = self.get(name)
        with self._lock:
            self._open.pop(name, None)
            kb.close()
            shutil.rmtree(kb.folder, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            for kb in self._open.values():
                kb.close()
            self._open.clear()
