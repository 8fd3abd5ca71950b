"""Everything a request handler may need, built once per server from the settings.

Services that are expensive or optional (knowledge bases, agents) are created on first use so a
gateway-only deployment never pays for them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from siyada.backends.registry import ModelRegistry
from siyada.settings import Settings

if TYPE_CHECKING:
    from siyada.serve.metrics import Metrics


@dataclass
class AppState:
    settings: Settings
    registry: ModelRegistry
    metrics: Metrics
    _lazy: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def lazy(self, key: str, factory: Any) -> Any:
        """Build a service once (``factory(self)``), thread-safely, on first use."""
        with self._lock:
            if key not in self._lazy:
                self._lazy[key] = factory(self)
            return self._lazy[key]
