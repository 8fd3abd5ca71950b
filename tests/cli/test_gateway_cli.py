"""The gateway commands, run as a real process: output, --json, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml


def siyada(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "siyada", *args], input=stdin, capture_output=True, text=True, timeout=timeout
    )


def fake_config(tmp_path: Path, **params: object) -> Path:
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        yaml.safe_dump(
            {
                "default_chat_model": "fake",
                "default_embedding_model": "emb",
                "models": [
                    {"name": "fake", "backend": "fake", "params": params, "labels": {"location": "casa"}},
                    {"name": "emb", "backend": "fake", "kind": "embedding", "params": {"dim": 8}},
                ],
            }
        )
    )
    return cfg


def test_models_json_lists_defaults() -> None:
    r = siyada("models", "--json")
    assert r.returncode == 0, r.stderr
    names = [m["name"] for m in json.loads(r.stdout)]
    assert names == ["gemma-3-270m", "multilingual-e5-small"]


def test_models_table_with_config(tmp_path: Path) -> None:
    r = siyada("models", "--config", str(fake_config(tmp_path)))
    assert r.returncode == 0 and "fake" in r.stdout and "location=casa" in r.stdout


def test_chat_one_shot_streams_reply(tmp_path: Path) -> None:
    r = siyada("chat", "--config", str(fake_config(tmp_path)), "-m", "salam")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "echo: salam"


def test_chat_interactive_reads_stdin_until_eof(tmp_path: Path) -> None:
    r = siyada("chat", "--config", str(fake_config(tmp_path)), stdin="first\nsecond\n/exit\n")
    assert r.returncode == 0, r.stderr
    assert "echo: first" in r.stdout and "echo: second" in r.stdout


def test_embed_json_and_stdin(tmp_path: Path) -> None:
    r = siyada("embed", "--config", str(fake_config(tmp_path)), "--json", stdin="a b\nc\n")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [row["text"] for row in rows] == ["a b", "c"] and len(rows[0]["embedding"]) == 8


def test_unknown_model_is_one_line_error(tmp_path: Path) -> None:
    r = siyada("chat", "no-such-model", "--config", str(fake_config(tmp_path)), "-m", "x")
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "neither a configured model" in r.stderr
    assert "Traceback" not in r.stderr


def test_model_file_that_is_not_a_gguf(tmp_path: Path) -> None:
    bogus = tmp_path / "model.gguf"
    bogus.write_bytes(b"not a gguf at all" * 100)
    r = siyada("chat", str(bogus), "-m", "x")
    assert r.returncode == 1 and "not a loadable GGUF" in r.stderr and "Traceback" not in r.stderr


def test_bad_config_is_one_line_error(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("port: nope\n")
    r = siyada("models", "--config", str(cfg))
    assert r.returncode == 1 and "bad.yaml" in r.stderr and "Traceback" not in r.stderr
    r = siyada("serve", "--config", str(tmp_path / "missing.yaml"))
    assert r.returncode == 1 and "not found" in r.stderr


def test_help_explains_commands() -> None:
    r = siyada("--help")
    assert r.returncode == 0
    for cmd in ("serve", "chat", "models", "embed", "lang", "kb", "agents"):
        assert cmd in r.stdout
