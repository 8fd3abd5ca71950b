"""The README's examples run: its Python and curl blocks, against a live server with the embedded defaults."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from siyada.backends.registry import ModelRegistry
from siyada.serve.app import create_app
from siyada.settings import load_settings

REPO = Path(__file__).resolve().parents[1]
pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
pytestmark = pytest.mark.slow


def blocks(lang: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


@pytest.fixture
def server(tmp_path: Path, live_server: Any) -> Any:
    settings = load_settings(home=tmp_path / "home", load_sample_agents=False, llamacpp={"n_ctx": 1024})
    return live_server(create_app(settings, ModelRegistry(settings)))


def test_readme_python_examples_run(server: Any) -> None:
    examples = blocks("python")
    assert len(examples) >= 2
    for code in examples:
        exec(compile(code.replace("http://127.0.0.1:8000", server.url), "README.md", "exec"), {})


def test_readme_curl_examples_run(server: Any) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    script = next(b for b in blocks("bash") if "curl" in b)
    for command in re.split(r"\n\n+", script.strip()):
        command = "\n".join(line for line in command.splitlines() if not line.startswith("#"))
        out = subprocess.run(
            ["bash", "-c", command.replace("http://127.0.0.1:8000", server.url) + " --fail"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, (command, out.stderr)
        assert out.stdout.strip()
