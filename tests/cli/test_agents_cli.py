"""`siyada agents`: ls, show, check, schema, run — and clean one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from siyada.cli.main import app

MINI = """\
name: mini
description: "Test agent"
instructions: "Answer from the documents."
knowledge: [{name: mini-kb, paths: [docs]}]
answer_mode: extractive
examples: ["Horaires ?"]
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    agents = home / "agents" / "mini"
    (agents / "docs").mkdir(parents=True)
    (agents / "agent.yaml").write_text(MINI, encoding="utf-8")
    (agents / "docs" / "horaires.md").write_text(
        "# Horaires\n\nLes agences ouvrent du lundi au vendredi de 8h15 à 15h45.\n", encoding="utf-8"
    )
    config = home / "config.yaml"
    config.write_text(
        "load_sample_agents: false\ndefault_chat_model: fake\ndefault_embedding_model: fake-embed\nmodels:\n"
        "  - {name: fake, backend: fake}\n  - {name: fake-embed, backend: fake, kind: embedding}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SIYADA_HOME", str(home))
    return home


def test_ls_show_and_run(home: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["agents", "ls", "--json"])
    assert r.exit_code == 0, r.output
    assert [a["name"] for a in json.loads(r.stdout)["agents"]] == ["mini"]
    r = runner.invoke(app, ["agents", "ls"])
    assert "mini" in r.stdout and "Test agent" in r.stdout
    r = runner.invoke(app, ["agents", "show", "agent:mini"])
    assert json.loads(r.stdout)["answer_mode"] == "extractive"
    r = runner.invoke(app, ["agents", "run", "mini", "Quels sont les horaires des agences ?"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert "8h15" in lines[0] and lines[0].endswith("[1]")
    assert lines[1].startswith("[1] Horaires — horaires.md:")
    r = runner.invoke(app, ["agents", "run", "mini", "horaires agences ?", "--json"])
    out = json.loads(r.stdout)
    assert out["mode"] == "extractive" and Path(out["citations"][0]["source"]).name == "horaires.md"


def test_check_and_schema(tmp_path: Path, home: Path) -> None:
    runner = CliRunner()
    good = home / "agents" / "mini" / "agent.yaml"
    r = runner.invoke(app, ["agents", "check", str(good)])
    assert r.exit_code == 0 and "ok: agent 'mini'" in r.stdout
    r = runner.invoke(app, ["agents", "schema"])
    assert "instructions" in json.loads(r.stdout)["properties"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["agents", "run", "nope", "x"], "the agent 'nope' does not exist"),
        (["agents", "run", "mini", "x", "--mode", "poetic"], "--mode must be one of"),
        (["agents", "run", "mini", "   "], "the question is empty"),
    ],
)
def test_errors_are_one_line(home: Path, args: list[str], fragment: str) -> None:
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "siyada", *args], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert r.stderr.strip().startswith("error: ") and fragment in r.stderr and "Traceback" not in r.stderr


def test_invalid_spec_file_is_a_one_line_error(tmp_path: Path, home: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ndescription: d\ninstructions: i\ntools: [teleport]\n", encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "siyada", "agents", "check", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 1 and f"error: {bad}:4: tools: unknown tool 'teleport'" in r.stderr
