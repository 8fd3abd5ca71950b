import asyncio

import pytest

from siyada.backends.gate import ModelGate
from siyada.errors import OverloadedError


async def test_one_at_a_time_with_bounded_line() -> None:
    gate = ModelGate("m", queue_size=1)
    await gate.acquire()
    waiter = asyncio.create_task(gate.acquire())
    await asyncio.sleep(0)
    assert gate.waiting == 1
    with pytest.raises(OverloadedError) as info:
        await gate.acquire()
    assert info.value.retry_after == 1 and info.value.status_code == 503
    gate.release()
    await waiter
    assert gate.running == 1 and gate.waiting == 0
    gate.release()


async def test_cancelled_waiter_leaves_the_line() -> None:
    gate = ModelGate("m", queue_size=1)
    await gate.acquire()
    waiter = asyncio.create_task(gate.acquire())
    await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    assert gate.waiting == 0
    gate.release()
    async with gate.slot():
        assert gate.running == 1


def test_gate_survives_a_new_event_loop() -> None:
    gate = ModelGate("m")

    async def use() -> None:
        async with gate.slot():
            await asyncio.sleep(0)

    asyncio.run(use())
    asyncio.run(use())
    assert gate.running == 0
