"""Schema of a knowledge-base SQLite file, as named, append-only migrations.

Each migration runs once, in its own transaction, and is recorded in ``_migrations``; a new
schema change is a new function appended to ``MIGRATIONS``, never an edit of an old one, so any
older file upgrades in place on open.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable


def _run(conn: sqlite3.Connection, script: str) -> None:
    # Statement by statement: ``executescript`` would commit the migration's open transaction.
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def m001_initial(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE documents (
            id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT NOT NULL, format TEXT NOT NULL,
            content_hash TEXT NOT NULL, size INTEGER NOT NULL, lang TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]', chunks INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL, updated_at REAL NOT NULL, metadata TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL, text TEXT NOT NULL, heading TEXT NOT NULL DEFAULT '',
            lang TEXT NOT NULL, page INTEGER);
        CREATE INDEX chunks_document ON chunks(document_id, position);
        CREATE INDEX chunks_lang ON chunks(lang);
        CREATE VIRTUAL TABLE chunks_fts USING fts5(plain, keys, tokenize = 'unicode61');
        CREATE TABLE vectors (chunk_id INTEGER PRIMARY KEY, vector BLOB NOT NULL);
        -- Every vector insert (+1) and delete (-1), so a process holding an in-memory index
        -- catches up with changes made by another process (CLI beside a running server).
        CREATE TABLE vector_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, chunk_id INTEGER NOT NULL,
                                 op INTEGER NOT NULL);
    """,
    )


def m002_term_stats(conn: sqlite3.Connection) -> None:
    # Document frequency per term and column: lets keyword search skip near-stopword terms.
    conn.execute("CREATE VIRTUAL TABLE chunks_vocab USING fts5vocab(chunks_fts, 'col')")


def m003_concepts(conn: sqlite3.Connection) -> None:
    # Concept tokens (siyada.lang.concepts) in their own FTS table: the lexicon evolves apart
    # from the text, so a base re-keys this table alone when the lexicon changes.
    _run(
        conn,
        """
        CREATE VIRTUAL TABLE concepts_fts USING fts5(concepts, tokenize = 'unicode61');
        CREATE VIRTUAL TABLE concepts_vocab USING fts5vocab(concepts_fts, 'col');
    """,
    )


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("001_initial", m001_initial),
    ("002_term_stats", m002_term_stats),
    ("003_concepts", m003_concepts),
]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations; returns the names applied. ``conn`` must be in autocommit mode."""
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone() is None:
                step(conn)
                conn.execute("INSERT INTO _migrations VALUES (?, ?)", (name, time.time()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
