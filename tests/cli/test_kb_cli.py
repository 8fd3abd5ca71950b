"""`siyada kb` end to end through the real entry point (errors are one line, never a traceback)."""

from __future__ import annotations

import json
import sys

import pytest
import yaml

from siyada.cli.main import main


@pytest.fixture
def home(_isolated_home):
    _isolated_home.mkdir(parents=True, exist_ok=True)
    (_isolated_home / "config.yaml").write_text(
        yaml.safe_dump(
            {
                "models": [{"name": "fake-embed", "backend": "fake", "kind": "embedding", "params": {"dim": 32}}],
                "default_embedding_model": "fake-embed",
                "load_sample_agents": False,
            }
        )
    )
    return _isolated_home


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["siyada", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_create_add_search_ls_rm(home, tmp_path, monkeypatch, capsys):
    src = tmp_path / "docs"
    (src / "sub").mkdir(parents=True)
    (src / "dar.txt").write_text("الدار ديالي كبيرة بزاف")
    (src / "sub" / "guide.md").write_text("# Guide\n\nLe bureau ouvre a 8h.")
    (src / "sub" / "broken.txt").write_bytes(b"\x00\x01binary")
    assert run(monkeypatch, capsys, "kb", "create", "docs", "-d", "guides")[0] == 0

    code, out, err = run(
        monkeypatch, capsys, "kb", "add", "docs", str(src / "dar.txt"), str(src / "sub" / "*.*"), "--tag", "public"
    )
    assert code == 1  # one file failed, the others are in
    assert f"error: {src / 'sub' / 'broken.txt'}: binary content" in err and "2 added" in err

    code, out, _ = run(monkeypatch, capsys, "kb", "search", "docs", "ddar kbira bzaf", "--json", "-k", "1")
    hit = json.loads(out)["data"][0]
    assert code == 0 and hit["text"] == "الدار ديالي كبيرة بزاف" and hit["source"] == str(src / "dar.txt")
    assert set(hit) >= {"text", "score", "document_id", "title", "source", "chunk_id", "position", "lang"}

    code, out, _ = run(monkeypatch, capsys, "kb", "search", "docs", "bureau", "--filter", "tags=public")
    assert code == 0 and "[1]" in out and "Guide" in out

    code, out, _ = run(monkeypatch, capsys, "kb", "ls", "--json")
    assert [(b["name"], b["documents"]) for b in json.loads(out)] == [("docs", 2)]
    docs = json.loads(run(monkeypatch, capsys, "kb", "ls", "docs", "--json")[1])
    assert run(monkeypatch, capsys, "kb", "rm", "docs", docs[0]["id"])[0] == 0
    assert run(monkeypatch, capsys, "kb", "check", "docs")[0] == 0

    code, _, err = run(monkeypatch, capsys, "kb", "rm", "docs")
    assert code == 1 and "add --yes" in err
    assert run(monkeypatch, capsys, "kb", "rm", "docs", "--yes")[0] == 0
    assert json.loads(run(monkeypatch, capsys, "kb", "ls", "--json")[1]) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["kb", "search", "nope", "x"], "error: knowledge base 'nope' does not exist"),
        (["kb", "create", "Bad/Name"], "error: invalid knowledge base name"),
        (["kb", "add", "nope", "x.txt"], "error: knowledge base 'nope' does not exist"),
    ],
)
def test_errors_are_one_line(home, monkeypatch, capsys, args, message):
    code, _, err = run(monkeypatch, capsys, *args)
    assert code == 1 and err.startswith(message) and "Traceback" not in err and err.count("\n") == 1


def test_search_filter_must_be_key_value(home, monkeypatch, capsys):
    run(monkeypatch, capsys, "kb", "create", "docs")
    code, _, err = run(monkeypatch, capsys, "kb", "search", "docs", "x", "--filter", "lang")
    assert code == 1 and "not key=value" in err
