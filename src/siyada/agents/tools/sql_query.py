"""sql_query: read-only SQL against a configured SQLite file or PostgreSQL database.

Writes are refused three times over: only one statement starting with SELECT, WITH, VALUES or
EXPLAIN is accepted; the connection itself is read-only (SQLite ``mode=ro`` + ``query_only``,
PostgreSQL ``default_transaction_read_only`` and a rolled-back transaction); and a data-modifying
CTE would still hit the read-only connection. Each query has a statement timeout and returns at
most ``row_limit`` rows (the result says when it was cut).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from siyada.agents.tools.base import ToolContext, ToolError, ToolResult, require
from siyada.errors import MissingDependencyError

READ_START = re.compile(r"^\s*(select|with|values|explain)\b", re.IGNORECASE)
COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


def check_read_only(sql: str) -> str:
    """Return the statement without a trailing ';' or raise ToolError if it is not a single read."""
    body = COMMENT.sub(" ", sql).strip().rstrip(";").strip()
    if not body:
        raise ToolError("empty query")
    if ";" in re.sub(r"'(?:[^']|'')*'", "''", body):
        raise ToolError("only one statement is allowed")
    if not READ_START.match(body):
        raise ToolError("only read-only queries (SELECT, WITH, VALUES, EXPLAIN) are allowed")
    return body


class SqlQuery:
    name = "sql_query"

    def __init__(self, config: dict[str, Any], context: ToolContext) -> None:
        database = config.get("database")
        if not isinstance(database, str) or not database:
            raise ToolError("sql_query: config 'database' is required (sqlite:///path or postgresql://...)")
        self.database = database
        self.row_limit = int(config.get("row_limit", 50))
        self.timeout_s = float(config.get("timeout_s", 5))
        schema = config.get("schema_hint", "")
        self.description = (
            "Run one read-only SQL query (SELECT) on the organisation's database and get "
            f"at most {self.row_limit} rows as JSON."
        )
        if schema:
            self.description += f" Tables: {schema}"
        self.parameters = {
            "type": "object",
            "properties": {"query": {"type": "string", "description": "A single SELECT statement."}},
            "required": ["query"],
        }

    def run(self, arguments: dict[str, Any]) -> ToolResult:
        sql = check_read_only(require(arguments, "query"))
        if self.database.startswith(("postgresql://", "postgres://")):
            columns, rows = self._postgres(sql)
        elif self.database.startswith("sqlite:///"):
            columns, rows = self._sqlite(sql, Path(self.database.removeprefix("sqlite:///")))
        else:
            raise ToolError("sql_query: database must start with sqlite:/// or postgresql://")
        truncated = len(rows) > self.row_limit
        data = {"columns": columns, "rows": [list(r) for r in rows[: self.row_limit]], "truncated": truncated}
        return ToolResult(content=json.dumps(data, ensure_ascii=False, default=str))

    def _sqlite(self, sql: str, path: Path) -> tuple[list[str], list[Any]]:
        if not path.is_file():
            raise ToolError(f"database file not found: {path}")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=self.timeout_s)
        deadline = time.monotonic() + self.timeout_s
        # The progress handler aborts a query that outlives the timeout (returning 1 interrupts it).
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            conn.execute("PRAGMA query_only = 1")
            cur = conn.execute(sql)
            rows = cur.fetchmany(self.row_limit + 1)
            columns = [d[0] for d in cur.description or []]
        except sqlite3.OperationalError as exc:
            msg = "statement timeout" if "interrupted" in str(exc) else str(exc)
            raise ToolError(f"query failed: {msg}") from None
        except sqlite3.Error as exc:
            raise ToolError(f"query failed: {exc}") from None
        finally:
            conn.close()
        return columns, rows

    def _postgres(self, sql: str) -> tuple[list[str], list[Any]]:
        try:
            import psycopg
        except ImportError:
            raise MissingDependencyError("psycopg", "agents") from None
        ms = int(self.timeout_s * 1000)
        try:
            options = f"-c statement_timeout={ms} -c default_transaction_read_only=on"
            with psycopg.connect(self.database, connect_timeout=max(1, int(self.timeout_s)), options=options) as conn:
                conn.read_only = True
                try:
                    with conn.cursor() as cur:
                        cur.execute(sql)
                        rows = cur.fetchmany(self.row_limit + 1)
                        columns = [d.name for d in cur.description or []]
                finally:
                    conn.rollback()
        except psycopg.errors.QueryCanceled:
            raise ToolError("query failed: statement timeout") from None
        except psycopg.Error as exc:
            raise ToolError(f"query failed: {str(exc).strip().splitlines()[0]}") from None
        return columns, rows
