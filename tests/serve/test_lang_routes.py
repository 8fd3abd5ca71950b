"""HTTP: /v1/lang/identify, /v1/lang/transliterate, /v1/lang/normalize on the real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from siyada.serve.app import create_app
from siyada.serve.routes.lang import MAX_INPUTS, MAX_TEXT_CHARS
from siyada.settings import load_settings


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(load_settings(home=tmp_path)))


def test_identify_single_and_batch(client: TestClient) -> None:
    one = client.post("/v1/lang/identify", json={"input": "wach kayn chi 7al?"}).json()["data"]
    assert len(one) == 1 and one[0]["lang"] == "ary_Latn" and len(one[0]["top"]) == 3
    many = client.post("/v1/lang/identify", json={"input": ["ⵜⴰⵎⴰⵣⵉⵖⵜ", "", "Bonjour"], "k": 1}).json()["data"]
    assert [d["lang"] for d in many] == ["zgh_Tfng", "und", "fra_Latn"]
    assert set(many[0]) == {"text", "lang", "score", "script", "top", "variety"}


def test_transliterate(client: TestClient) -> None:
    r = client.post("/v1/lang/transliterate", json={"input": ["3afak", "ⴰⵣⵓⵍ"], "to": "Latn"})
    assert r.status_code == 200
    assert [d["result"] for d in r.json()["data"]] == ["3afak", "azul"]
    r = client.post("/v1/lang/transliterate", json={"input": "3afak", "to": "Arab", "n": 2})
    data = r.json()["data"][0]
    assert data["result"] == "عافاك" and len(data["candidates"]) <= 2


def test_normalize_with_search_key(client: TestClient) -> None:
    r = client.post("/v1/lang/normalize", json={"input": "بزززاف", "search_key": True, "taa_marbuta": True})
    assert r.json()["data"] == [{"text": "بزززاف", "result": "بزاف", "search_key": "بزاف 0bzf"}]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/lang/identify", {"input": 5}),
        ("/v1/lang/identify", {"input": "x", "k": 0}),
        ("/v1/lang/identify", {"text": "x"}),
        ("/v1/lang/transliterate", {"input": "x", "to": "Cyrl"}),
        ("/v1/lang/transliterate", {"input": "x"}),
        ("/v1/lang/normalize", {"input": ["a", 3]}),
    ],
)
def test_bad_shapes_are_422(client: TestClient, path: str, body: dict[str, object]) -> None:
    r = client.post(path, json=body)
    assert r.status_code == 422 and "error" in r.json()


def test_limits(client: TestClient) -> None:
    r = client.post("/v1/lang/identify", json={"input": ["x"] * (MAX_INPUTS + 1)})
    assert r.status_code == 400 and str(MAX_INPUTS) in r.json()["error"]["message"]
    r = client.post("/v1/lang/normalize", json={"input": "a" * (MAX_TEXT_CHARS + 1)})
    assert r.status_code == 413
    r = client.post("/v1/lang/identify", json={"input": []})
    assert r.status_code == 400


def test_malformed_json_is_400(client: TestClient) -> None:
    r = client.post("/v1/lang/identify", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
