"""One-at-a-time access to a model, with a bounded waiting line.

An embedded model can only generate for one request at a time. Callers ``acquire()`` a slot;
at most ``queue_size`` may wait, and the next one gets :class:`OverloadedError` (HTTP 503 with
``Retry-After``) at once rather than an unbounded wait. Waiting is cancellable: a client that
goes away while queued leaves the line without ever touching the model.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from siyada.errors import OverloadedError


class ModelGate:
    def __init__(self, name: str, *, concurrency: int = 1, queue_size: int = 8) -> None:
        self.name = name
        self.queue_size = queue_size
        self.concurrency = concurrency
        self._sem = asyncio.Semaphore(concurrency)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.waiting = 0
        self.running = 0

    def _semaphore(self) -> asyncio.Semaphore:
        # asyncio primitives belong to one loop; a CLI command or a test may drive the same model
        # from a new loop later, which is fine as long as nothing is in flight on the old one.
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            old_alive = self._loop is not None and not self._loop.is_closed()
            if old_alive and (self.running or self.waiting):
                raise RuntimeError(f"model '{self.name}' is in use from another event loop")
            self._sem = asyncio.Semaphore(self.concurrency)
            self._loop = loop
            self.running = self.waiting = 0
        return self._sem

    async def acquire(self) -> None:
        """Wait for a slot, or raise :class:`OverloadedError` at once if the line is full."""
        sem = self._semaphore()
        # locked() is true when no slot is free: the caller would have to wait.
        if sem.locked() and self.waiting >= self.queue_size:
            raise OverloadedError(
                f"the model '{self.name}' is busy and its queue is full ({self.queue_size} waiting); retry shortly",
                retry_after=1,
            )
        self.waiting += 1
        try:
            await sem.acquire()
        finally:
            self.waiting -= 1
        self.running += 1

    def release(self) -> None:
        """Free the slot; must run on the event loop's thread."""
        self.running -= 1
        self._sem.release()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self.acquire()
        try:
            yield
        finally:
            self.release()
