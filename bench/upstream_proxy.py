"""What does going through Siyada cost, compared with calling the upstream directly?

Starts, each in its own process, the fake OpenAI-compatible upstream of the tests (scripted
pieces, no model: this measures pure proxy overhead, the worst case for a proxy) and a Siyada
gateway whose model ``up`` is that upstream through the ``openai`` backend. Then, in this
process, the official ``openai`` SDK streams the same chat requests

  1. directly from the upstream (what users would do without Siyada),
  2. through the Siyada gateway,
  3. in-process through ``OpenAICompatBackend`` (Siyada's client) instead of the SDK's client,

and reports time to first piece, total latency and requests/s, with the ratios to the direct
path. Usage: ``.venv/bin/python bench/upstream_proxy.py [--requests 200] [--concurrency 8]
[--pieces 64]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "backends"))

from fake_upstream import FakeUpstream, free_port  # noqa: E402

Timing = tuple[float, float]  # (time to first piece, total)


def serve_upstream(port: int, pieces: int) -> None:
    server = FakeUpstream("bench", port=port)
    server.script.pieces = [f" w{i}" for i in range(pieces)]
    server.start()
    while True:
        time.sleep(3600)


def serve_gateway(port: int, upstream: str, home: str) -> None:
    import uvicorn

    from siyada.serve.app import create_app
    from siyada.settings import ModelConfig, Settings

    settings = Settings(
        home=Path(home),
        load_sample_agents=False,
        models=[ModelConfig(name="up", backend="openai", params={"base_url": upstream, "model": "bench"})],
    )
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def wait_ready(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


async def sdk_stream(base_url: str, model: str) -> Callable[[], Awaitable[Timing]]:
    from openai import AsyncOpenAI

    client = AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0)

    async def one() -> Timing:
        start = time.perf_counter()
        first = 0.0
        stream = await client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "salam"}], stream=True
        )
        async for event in stream:
            if not first and event.choices and event.choices[0].delta.content:
                first = time.perf_counter() - start
        return first, time.perf_counter() - start

    return one


async def backend_stream(upstream: str) -> Callable[[], Awaitable[Timing]]:
    from siyada.backends.openai_compat import OpenAICompatBackend
    from siyada.settings import ModelConfig, Settings
    from siyada.types import ChatRequest, Message

    settings = Settings(home=Path(tempfile.mkdtemp()), health_interval_s=0)
    backend = OpenAICompatBackend(
        ModelConfig(name="up", backend="openai", params={"base_url": upstream, "model": "bench"}), settings
    )

    async def one() -> Timing:
        start = time.perf_counter()
        first = 0.0
        chunks: AsyncIterator = backend.chat(ChatRequest(model="up", messages=[Message("user", "salam")]))
        async for chunk in chunks:
            if not first and chunk.text:
                first = time.perf_counter() - start
        return first, time.perf_counter() - start

    return one


async def run(one: Callable[[], Awaitable[Timing]], requests: int, concurrency: int) -> dict[str, float]:
    await one()  # warm the connection pool
    queue = list(range(requests))
    timings: list[Timing] = []

    async def worker() -> None:
        while queue:
            queue.pop()
            timings.append(await one())

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - start
    return {
        "ttft_ms": statistics.median(t[0] for t in timings) * 1000,
        "total_ms": statistics.median(t[1] for t in timings) * 1000,
        "rps": requests / wall,
    }


async def main_async(args: argparse.Namespace, upstream: str, gateway: str) -> None:
    paths = {
        "direct (openai SDK → upstream)": await sdk_stream(upstream, "bench"),
        "via Siyada gateway (SDK → Siyada → upstream)": await sdk_stream(gateway + "/v1", "up"),
        "Siyada OpenAICompatBackend in-process": await backend_stream(upstream),
    }
    results = {name: await run(one, args.requests, args.concurrency) for name, one in paths.items()}
    base = next(iter(results.values()))
    print(f"{args.requests} streamed chat requests, {args.pieces} pieces each, concurrency {args.concurrency}")
    print(f"{'path':48} {'TTFT ms':>9} {'total ms':>9} {'req/s':>8} {'total ×':>8} {'req/s ×':>8}")
    for name, r in results.items():
        print(
            f"{name:48} {r['ttft_ms']:9.2f} {r['total_ms']:9.2f} {r['rps']:8.1f} "
            f"{r['total_ms'] / base['total_ms']:8.2f} {r['rps'] / base['rps']:8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--pieces", type=int, default=64)
    parser.add_argument("--serve-upstream", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve-gateway", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_upstream:
        return serve_upstream(args.serve_upstream, args.pieces)
    if args.serve_gateway:
        port, upstream, home = args.serve_gateway
        return serve_gateway(int(port), upstream, home)

    up_port, gw_port = free_port(), free_port()
    upstream, gateway = f"http://127.0.0.1:{up_port}/v1", f"http://127.0.0.1:{gw_port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--serve-upstream", str(up_port), "--pieces", str(args.pieces)], env=env
        ),
        subprocess.Popen(
            [sys.executable, __file__, "--serve-gateway", str(gw_port), upstream, tempfile.mkdtemp()], env=env
        ),
    ]
    try:
        wait_ready(upstream + "/models")
        wait_ready(gateway + "/v1/models")
        asyncio.run(main_async(args, upstream, gateway))
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
