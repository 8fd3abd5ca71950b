"""A `siyada kb add` killed with SIGKILL mid-way leaves a consistent, searchable base."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import yaml

from siyada.backends.registry import ModelRegistry
from siyada.rag.service import KnowledgeService
from siyada.settings import load_settings

N_FILES = 1500


def _documents(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_kill_9_during_ingestion_leaves_the_base_consistent(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.yaml").write_text(
        yaml.safe_dump(
            {
                "models": [{"name": "fake-embed", "backend": "fake", "kind": "embedding", "params": {"dim": 32}}],
                "default_embedding_model": "fake-embed",
                "load_sample_agents": False,
            }
        )
    )
    monkeypatch.setenv("SIYADA_HOME", str(home))
    settings = load_settings()
    svc = KnowledgeService(settings, ModelRegistry(settings))
    svc.create("big")
    src = tmp_path / "src"
    src.mkdir()
    for i in range(N_FILES):
        paras = "\n\n".join(f"Paragraphe {j} du document {i}: la commune numero {i} ouvre a {j}h." for j in range(12))
        (src / f"doc{i:04d}.md").write_text(f"# Document {i}\n\n{paras}\n")
    db = settings.knowledge_dir / "big" / "kb.sqlite"
    env = {**os.environ, "SIYADA_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "siyada.cli.main", "kb", "add", "big", str(src)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _documents(db) < 50 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "ingestion finished before it could be killed"

    kb = svc.get("big")
    done = kb.info().documents
    assert 50 <= done < N_FILES
    assert kb.check() == []
    assert kb.search("commune numero 7", top_k=3)
    report = kb.add_paths([src])
    statuses = [r.status for r in report.results]
    assert statuses.count("unchanged") == done and statuses.count("added") == N_FILES - done
    assert kb.info().documents == N_FILES and kb.check() == []
    svc.close()
