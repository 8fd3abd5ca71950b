"""The web chat at ``/``: local assets only, and a Darija conversation in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from siyada.backends.registry import ModelRegistry
from siyada.serve.app import create_app
from siyada.settings import ModelConfig, load_settings


@pytest.fixture
def client(tmp_path: Path) -> Any:
    models = [
        ModelConfig(name="fake", backend="fake"),
        ModelConfig(name="fake-embed", backend="fake", kind="embedding"),
    ]
    settings = load_settings(
        home=tmp_path,
        models=models,
        default_chat_model="fake",
        default_embedding_model="fake-embed",
        load_sample_agents=False,
    )
    with TestClient(create_app(settings, ModelRegistry(settings))) as c:
        yield c


def test_page_and_assets_are_local(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(ref.startswith("/web/static/") for ref in refs)
    for name, kind in (("chat.js", "javascript"), ("chat.css", "css")):
        asset = client.get(f"/web/static/{name}")
        assert asset.status_code == 200 and kind in asset.headers["content-type"]
        assert "http://" not in asset.text and "https://" not in asset.text
    assert client.get("/web/static/../routes.py").status_code == 404
    missing = client.get("/web/static/nothing.js")
    assert missing.status_code == 404 and "no static file" in missing.json()["error"]["message"]


@pytest.mark.slow
def test_darija_question_in_chromium(browser: Any, bank_server: Any, artifacts: Path) -> None:
    page = browser.new_page(locale="ar-MA")
    outside: list[str] = []
    page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(bank_server.url) else None)
    page.goto(bank_server.url + "/")
    page.wait_for_selector("#agent option[value=bank]", state="attached")
    examples = page.locator("#examples button")
    assert examples.count() >= 3 and "شنو نعمل" in examples.all_inner_texts()[1]

    page.fill("#question", "شنو خاصني ندير إلا ضاعت ليا لاكارط؟")
    page.press("#question", "Enter")
    reply = page.locator(".msg.assistant").last
    reply.locator(".citations li").first.wait_for(timeout=120_000)

    text = reply.locator(".text").inner_text()
    assert "0522 48 48 48" in text and "[1]" in text
    source = reply.locator(".citations .source").first.inner_text()
    assert "carte-perdue-bloquee.md" in source
    # Arabic script is laid out right to left; the detected language is shown on both messages.
    assert reply.locator(".text").evaluate("el => getComputedStyle(el).direction") == "rtl"
    user = page.locator(".msg.user").last
    assert "Darija" in user.locator(".lang").inner_text()
    assert reply.get_attribute("data-script") == "Arab"

    # Tifinagh is shown left to right, in its own script.
    page.fill("#question", "ⴰⵣⵓⵍ ⵎⴰⵏⵣⴰ ⵜⴰⴽⴰⵔⴹⴰ?")
    page.press("#question", "Enter")
    # The page's CSP forbids eval, so wait on elements rather than on a JS predicate.
    page.locator(".msg.assistant").nth(1).locator(".lang[data-label]").wait_for(timeout=120_000)
    tfng = page.locator(".msg.user").last
    assert tfng.get_attribute("data-script") == "Tfng"
    assert tfng.locator(".text").evaluate("el => getComputedStyle(el).direction") == "ltr"

    page.screenshot(path=str(artifacts / "chat-darija.png"), full_page=True)
    assert (artifacts / "chat-darija.png").stat().st_size > 10_000
    assert outside == []  # nothing but the server itself was contacted
