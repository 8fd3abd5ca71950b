"""The set of upstream URLs behind one remote model: round-robin, fail-over order, health.

:class:`UpstreamPool` is plain state with an injectable clock, so its rules are tested without a
network. :class:`HealthMonitor` is the periodic check: an asyncio task started lazily on first
use inside the running loop (nothing runs at construction or import), cancelled by ``aclose``.

Key decisions: a URL that fails is marked down and skipped by the rotation until a health check
finds it answering again, or, when no health task runs (the sync embedder, a loop that ended),
until its cool-down has passed. Down URLs are still offered *last*, after every healthy one, so a
request fails over to them instead of failing outright when everything looks down: a wrongly
marked URL costs one refused connection, never an outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

Probe = Callable[[str], Awaitable[bool]]


@dataclass(slots=True)
class UpstreamStatus:
    url: str
    healthy: bool = True
    failed_at: float | None = None
    last_error: str | None = None
    failures: int = 0


class UpstreamPool:
    def __init__(
        self, urls: Sequence[str], *, cooldown_s: float = 15.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not urls:
            raise ValueError("an upstream pool needs at least one URL")
        self._status = {url: UpstreamStatus(url) for url in dict.fromkeys(urls)}
        self._urls = list(self._status)
        self._cursor = 0
        self.cooldown_s = cooldown_s
        self._clock = clock
        self.monitored = False  # set while a HealthMonitor task runs for this pool
        # The sync embedder may share nothing with the loop, but several threads may embed at once.
        self._lock = threading.Lock()

    @property
    def urls(self) -> list[str]:
        return list(self._urls)

    def _available(self, status: UpstreamStatus) -> bool:
        if status.healthy:
            return True
        if self.monitored:  # the health task decides when a down URL is back
            return False
        return status.failed_at is not None and self._clock() - status.failed_at >= self.cooldown_s

    def order(self) -> list[str]:
        """URLs to try for one request: available ones in round-robin order, then the down ones."""
        with self._lock:
            start = self._cursor % len(self._urls)
            self._cursor += 1
            rotated = self._urls[start:] + self._urls[:start]
            up = [u for u in rotated if self._available(self._status[u])]
            down = sorted((u for u in rotated if u not in up), key=lambda u: self._status[u].failed_at or 0.0)
            return up + down

    def mark_down(self, url: str, reason: str) -> None:
        with self._lock:
            status = self._status[url]
            status.healthy = False
            status.failed_at = self._clock()  # each failure restarts the cool-down
            status.last_error = reason
            status.failures += 1

    def mark_up(self, url: str) -> None:
        with self._lock:
            status = self._status[url]
            status.healthy = True
            status.failed_at = None
            status.last_error = None

    def is_healthy(self, url: str) -> bool:
        return self._status[url].healthy

    def snapshot(self) -> list[UpstreamStatus]:
        with self._lock:
            return [
                UpstreamStatus(s.url, s.healthy, s.failed_at, s.last_error, s.failures) for s in self._status.values()
            ]

    async def check_once(self, probe: Probe) -> dict[str, bool]:
        """Probe every URL concurrently and record the result; a probe that raises counts as down."""
        results = await asyncio.gather(*(probe(url) for url in self._urls), return_exceptions=True)
        out: dict[str, bool] = {}
        for url, result in zip(self._urls, results, strict=True):
            ok = result is True
            if ok:
                self.mark_up(url)
            else:
                detail = f": {result!r}" if isinstance(result, BaseException) else ""
                self.mark_down(url, "health check failed" + detail)
            out[url] = ok
        return out


class HealthMonitor:
    """Runs ``pool.check_once(probe)`` every ``interval_s`` seconds in the loop that first needs it."""

    def __init__(self, pool: UpstreamPool, probe: Probe, interval_s: float) -> None:
        self.pool = pool
        self.probe = probe
        self.interval_s = interval_s
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def ensure_started(self) -> None:
        """Start the task in the running loop, or restart it if its loop is gone; idempotent."""
        if self.interval_s <= 0:
            return
        loop = asyncio.get_running_loop()
        if self._task is not None and not self._task.done() and self._task.get_loop() is loop:
            return
        self._task = loop.create_task(self._run(), name="siyada-upstream-health")
        self.pool.monitored = True

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            with contextlib.suppress(Exception):  # a failing probe must not end the monitor
                await self.pool.check_once(self.probe)

    async def aclose(self) -> None:
        task, self._task = self._task, None
        self.pool.monitored = False
        if task is None or task.done():
            return
        task.cancel()
        if task.get_loop() is asyncio.get_running_loop():
            with contextlib.suppress(asyncio.CancelledError):
                await task
