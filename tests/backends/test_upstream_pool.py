"""Round-robin, fail-over order, cool-down and health checks, with an injected clock (no network)."""

from __future__ import annotations

import asyncio

import pytest

from siyada.backends.upstream_pool import HealthMonitor, UpstreamPool

A, B, C = "http://a/v1", "http://b/v1", "http://c/v1"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_round_robin_rotates_the_first_choice() -> None:
    pool = UpstreamPool([A, B, C])
    firsts = [pool.order()[0] for _ in range(6)]
    assert firsts == [A, B, C, A, B, C]
    assert pool.order() == [A, B, C]  # every URL is still offered, in rotation order


def test_duplicate_urls_are_kept_once_and_empty_pool_is_refused() -> None:
    assert UpstreamPool([A, A, B]).urls == [A, B]
    with pytest.raises(ValueError):
        UpstreamPool([])


def test_down_url_goes_last_until_its_cool_down_passes() -> None:
    clock = Clock()
    pool = UpstreamPool([A, B], cooldown_s=10, clock=clock)
    pool.mark_down(A, "connection refused")
    assert [pool.order() for _ in range(2)] == [[B, A], [B, A]]
    status = {s.url: s for s in pool.snapshot()}
    assert not status[A].healthy and status[A].last_error == "connection refused" and status[A].failures == 1
    clock.now += 10
    assert sorted(pool.order()[:2]) == [A, B]  # back in the rotation after the cool-down
    assert pool.order()[0] != pool.order()[0]


def test_down_urls_are_ordered_by_oldest_failure() -> None:
    clock = Clock()
    pool = UpstreamPool([A, B, C], cooldown_s=100, clock=clock)
    pool.mark_down(B, "x")
    clock.now += 1
    pool.mark_down(A, "x")
    assert pool.order() == [C, B, A]


def test_monitored_pool_waits_for_the_health_check_not_the_clock() -> None:
    clock = Clock()
    pool = UpstreamPool([A, B], cooldown_s=1, clock=clock)
    pool.monitored = True
    pool.mark_down(A, "x")
    clock.now += 1000
    assert pool.order() == [B, A]
    pool.mark_up(A)
    assert sorted(pool.order()) == [A, B] and pool.is_healthy(A)


async def test_check_once_marks_up_and_down() -> None:
    pool = UpstreamPool([A, B, C])
    answers = {A: True, B: False}

    async def probe(url: str) -> bool:
        if url == C:
            raise OSError("boom")
        return answers[url]

    assert await pool.check_once(probe) == {A: True, B: False, C: False}
    assert [s.healthy for s in pool.snapshot()] == [True, False, False]
    assert "boom" in (pool.snapshot()[2].last_error or "")
    answers[B] = True
    await pool.check_once(probe)
    assert pool.is_healthy(B)


async def test_health_monitor_runs_in_the_loop_and_stops_on_aclose() -> None:
    pool = UpstreamPool([A])
    pool.mark_down(A, "x")
    probed = asyncio.Event()

    async def probe(url: str) -> bool:
        probed.set()
        return True

    monitor = HealthMonitor(pool, probe, interval_s=0.01)
    assert not monitor.running  # nothing starts before first use
    monitor.ensure_started()
    monitor.ensure_started()  # idempotent
    assert monitor.running and pool.monitored
    await asyncio.wait_for(probed.wait(), timeout=5)
    for _ in range(100):
        if pool.is_healthy(A):
            break
        await asyncio.sleep(0.01)
    assert pool.is_healthy(A)
    await monitor.aclose()
    assert not monitor.running and not pool.monitored


async def test_health_monitor_survives_a_failing_check_and_can_be_disabled() -> None:
    pool = UpstreamPool([A])
    calls = 0

    async def probe(url: str) -> bool:
        nonlocal calls
        calls += 1
        return False

    monitor = HealthMonitor(pool, probe, interval_s=0.01)
    monitor.ensure_started()
    for _ in range(200):
        if calls >= 3:
            break
        await asyncio.sleep(0.01)
    assert calls >= 3 and monitor.running
    await monitor.aclose()
    off = HealthMonitor(pool, probe, interval_s=0)
    off.ensure_started()
    assert not off.running
