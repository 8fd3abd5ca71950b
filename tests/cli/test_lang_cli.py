"""`siyada lang ...` run as a real process: arguments, stdin, --jsonl, bad bytes, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def siyada(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "siyada", "lang", *args], input=stdin, capture_output=True, timeout=120
    )


def jsonl(out: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.decode().splitlines()]


def test_detect_arguments_plain() -> None:
    r = siyada("detect", "wach kayn chi 7al?", "ⵜⴰⵎⴰⵣⵉⵖⵜ")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert lines[0].startswith("ary_Latn\t") and lines[1].startswith("zgh_Tfng\t")


def test_detect_stdin_jsonl_one_object_per_line_in_order_with_bad_utf8() -> None:
    stdin = b"wach l'rendez-vous ghda f 10h?\n" + b"\xff\xfe broken\n" + b"\n" + "Bonjour à tous\n".encode()
    r = siyada("detect", "--jsonl", stdin=stdin)
    assert r.returncode == 0
    rows = jsonl(r.stdout)
    assert len(rows) == 4
    assert rows[0] == {**rows[0], "text": "wach l'rendez-vous ghda f 10h?", "lang": "ary_Latn", "script": "Latn"}
    assert set(rows[0]) == {"text", "lang", "script", "score"}
    assert rows[1]["lang"] == "und" and "invalid UTF-8" in str(rows[1]["error"])
    assert rows[2]["lang"] == "und" and rows[2]["score"] == 0.0
    assert rows[3]["lang"] == "fra_Latn"
    assert b"line 2: invalid UTF-8" in r.stderr


def test_translit_jsonl_shape() -> None:
    r = siyada("translit", "--to", "Arab", "--jsonl", "-n", "3", stdin=b"3afak\nbzaf\n")
    rows = jsonl(r.stdout)
    assert [row["result"] for row in rows] == ["عافاك", "بزاف"]
    assert all(set(row) == {"text", "result", "candidates"} and len(row["candidates"]) <= 3 for row in rows)


def test_translit_tifinagh() -> None:
    r = siyada("translit", "--to", "Tfng", "tamaziɣt")
    assert r.stdout.decode().strip() == "ⵜⴰⵎⴰⵣⵉⵖⵜ"


def test_translit_bad_target_is_one_line_error() -> None:
    r = siyada("translit", "--to", "Cyrl", "x")
    assert r.returncode != 0
    assert r.stderr.decode().strip().startswith("error:") and b"Traceback" not in r.stderr


def test_normalize_and_search_key() -> None:
    assert siyada("normalize", "إِنَّ bzzzaaf").stdout.decode().strip() == "ان bzaf"
    assert siyada("normalize", "--search-key", "بزاف").stdout.decode().strip() == "بزاف 0bzf"


def test_segment_jsonl() -> None:
    r = siyada("segment", "--jsonl", "كنبغي نمشي للسينما ce soir avec mes amis")
    spans = jsonl(r.stdout)[0]["spans"]
    assert [s["label"] for s in spans] == ["ary_Arab", "fra_Latn"]  # type: ignore[index]


def test_fertility_file_option_and_errors(tmp_path: Path) -> None:
    bad = siyada("fertility", "--no-llm", "--no-embedder", "--file", "nonsense")
    assert bad.returncode != 0 and bad.stderr.decode().startswith("error:")
    missing = siyada("fertility", "--gguf", str(tmp_path / "none.gguf"))
    assert missing.returncode != 0 and b"not found" in missing.stderr
    path = tmp_path / "fr.txt"
    path.write_text("un deux trois\n")
    ok = siyada("fertility", "--no-llm", "--no-embedder", "--json", "--file", f"fra_Latn={path}")
    assert ok.returncode == 0 and json.loads(ok.stdout) == {}


def test_one_megabyte_line_on_stdin_is_handled() -> None:
    line = ("wach kayn chi 7al? ana mzyan hamdullah " * 26_000).encode() + b"\n" + b"salam\n"
    r = siyada("detect", "--jsonl", stdin=line)
    rows = jsonl(r.stdout)
    assert r.returncode == 0 and [row["lang"] for row in rows] == ["ary_Latn", "ary_Latn"]
    r = siyada("translit", "--to", "Arab", stdin=line)
    assert r.returncode == 0 and len(r.stdout.decode().splitlines()) == 2
