"""The built-in tools: safe arithmetic, Moroccan clock, language, allow-listed GET, read-only SQL."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from siyada.agents.tools import TOOLS
from siyada.agents.tools.base import ToolContext, ToolError, build_tool
from siyada.agents.tools.calculator import evaluate
from siyada.agents.tools.clock import now_in_morocco
from siyada.agents.tools.http_get import allowed
from siyada.agents.tools.sql_query import check_read_only

CTX = ToolContext()


def test_every_tool_is_registered_and_builds() -> None:
    configs: dict[str, dict[str, Any]] = {
        "http_get": {"allow": ["http://127.0.0.1:1/"]},
        "sql_query": {"database": "sqlite:///x.db"},
    }
    for name in TOOLS:
        tool = build_tool(name, configs.get(name, {}), CTX)
        assert tool.name == name and tool.description and tool.parameters["type"] == "object"
    with pytest.raises(ToolError, match="unknown tool"):
        build_tool("rm_rf", {}, CTX)


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("1200 * 0.15 + 30", 210),
        ("2^10", 1024),
        ("(1 + 2) * 3", 9),
        ("sqrt(16) + abs(-2)", 6),
        ("7 // 2", 3),
        ("1,5 * 2", 3),
        ("12 × 3 ÷ 4", 9),
        ("round(2 / 3, 2)", 0.67),
    ],
)
def test_calculator(expr: str, value: float) -> None:
    assert evaluate(expr) == value


@pytest.mark.parametrize(
    "expr",
    [
        "__import__('os').system('id')",
        "open('/etc/passwd')",
        "(1).__class__",
        "9 ** 9 ** 9",
        "10 ** 400",
        "1 / 0",
        "x + 1",
        "'a' * 3",
        "[1, 2]",
        "lambda: 1",
        "max()",
        "True + 1",
        "",
    ],
)
def test_calculator_refuses(expr: str) -> None:
    with pytest.raises(ToolError):
        evaluate(expr)


def test_clock_in_casablanca_with_hijri() -> None:
    # 2025-03-01 12:00 UTC: 1 Ramadan 1446 (Umm al-Qura); Morocco is on UTC+0 during Ramadan.
    info = now_in_morocco(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
    assert info["timezone"] == "Africa/Casablanca"
    assert info["date"] == "2025-03-01" and info["weekday_fr"] == "samedi" and info["weekday_ar"] == "السبت"
    assert info["hijri"] == "1446-09-01" and "رمضان" in info["hijri_text_ar"]
    summer = now_in_morocco(datetime(2025, 7, 1, 12, 0, tzinfo=UTC))
    assert summer["utc_offset"] == "+0100" and summer["time"] == "13:00"
    out = json.loads(build_tool("datetime", {}, CTX).run({}).content)
    assert out["timezone"] == "Africa/Casablanca"


def test_language_tool() -> None:
    tool = build_tool("language", {}, CTX)
    out = json.loads(tool.run({"text": "salam labas 3lik, wach nta mzyan?", "transliterate_to": "Arab"}).content)
    assert out["label"] == "ary_Latn" and any("\u0600" <= ch <= "\u06ff" for ch in out["transliteration"])
    with pytest.raises(ToolError):
        tool.run({"text": "salam", "transliterate_to": "Cyrl"})
    with pytest.raises(ToolError, match="required"):
        tool.run({})


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://intranet.local/api/rates", True),
        ("http://intranet.local/api", True),
        ("http://INTRANET.local:80/api/x?y=1", True),
        ("http://intranet.local/api-admin/x", False),
        ("http://intranet.local/apix", False),
        ("http://intranet.local.evil.com/api/x", False),
        ("https://intranet.local/api/x", False),
        ("http://intranet.local:8080/api/x", False),
        ("http://intranet.local/api/../admin", False),
        ("http://user@evil.com@intranet.local/api/x", False),
        ("http://other.local/api/x", False),
    ],
)
def test_http_allow_list(url: str, ok: bool) -> None:
    assert allowed(url, ["http://intranet.local/api/"]) is ok


@pytest.fixture
def http_server() -> Any:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/redirect"):
                self.send_response(302)
                self.send_header("Location", "http://example.com/")
                self.end_headers()
                return
            body = ("x" * 100_000) if self.path.startswith("/api/big") else json.dumps({"usd_mad": 9.9})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_http_get_reads_allowed_urls_only(http_server: str) -> None:
    tool = build_tool("http_get", {"allow": [http_server + "/api/", http_server + "/redirect"], "max_bytes": 1000}, CTX)
    assert "9.9" in tool.run({"url": http_server + "/api/rates"}).content
    assert len(tool.run({"url": http_server + "/api/big"}).content) < 1100
    assert "redirect not followed" in tool.run({"url": http_server + "/redirect"}).content
    with pytest.raises(ToolError, match="allow-list"):
        tool.run({"url": http_server + "/admin"})
    with pytest.raises(ToolError, match="not an http"):
        tool.run({"url": "file:///etc/passwd"})
    with pytest.raises(ToolError, match="config 'allow'"):
        build_tool("http_get", {"allow": "http://x/"}, CTX)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM clients",
        "insert into clients values (1)",
        "DROP TABLE clients",
        "PRAGMA query_only=0",
        "SELECT 1; DELETE FROM clients",
        "ATTACH DATABASE 'x' AS y",
        "  ",
        "-- comment only",
    ],
)
def test_sql_refuses_writes_and_several_statements(sql: str) -> None:
    with pytest.raises(ToolError):
        check_read_only(sql)


def test_sql_accepts_reads() -> None:
    assert check_read_only("SELECT ';' AS semi FROM t;") == "SELECT ';' AS semi FROM t"
    assert check_read_only("/* hi */ WITH x AS (SELECT 1) SELECT * FROM x").startswith("WITH")


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    path = tmp_path / "crm.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT, city TEXT)")
    conn.executemany(
        "INSERT INTO clients VALUES (?, ?, ?)", [(i, f"client {i}", "Rabat" if i % 2 else "Fès") for i in range(1, 121)]
    )
    conn.commit()
    conn.close()
    return f"sqlite:///{path}"


def test_sqlite_read_row_limit_and_timeout(sqlite_db: str) -> None:
    tool = build_tool("sql_query", {"database": sqlite_db, "row_limit": 10, "timeout_s": 0.5}, CTX)
    out = json.loads(tool.run({"query": "SELECT id, city FROM clients ORDER BY id"}).content)
    assert out["columns"] == ["id", "city"] and len(out["rows"]) == 10 and out["truncated"] is True
    out = json.loads(tool.run({"query": "SELECT count(*) FROM clients WHERE city = 'Fès'"}).content)
    assert out["rows"] == [[60]] and out["truncated"] is False
    # A data-modifying CTE passes the keyword check but not the read-only connection.
    with pytest.raises(ToolError, match="query failed"):
        tool.run({"query": "WITH d AS (DELETE FROM clients RETURNING id) SELECT * FROM d"})
    with pytest.raises(ToolError, match="statement timeout"):
        tool.run({"query": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"})
    with pytest.raises(ToolError, match="no such table"):
        tool.run({"query": "SELECT * FROM missing_table"})
    with pytest.raises(ToolError, match="not found"):
        build_tool("sql_query", {"database": "sqlite:///nope/x.db"}, CTX).run({"query": "SELECT 1"})


def test_postgres_read_only(postgres_dsn: str) -> None:
    tool = build_tool("sql_query", {"database": postgres_dsn, "row_limit": 5, "timeout_s": 1}, CTX)
    out = json.loads(tool.run({"query": "SELECT id, name FROM clients ORDER BY id"}).content)
    assert out["columns"] == ["id", "name"] and out["rows"][0] == [1, "client 1"] and out["truncated"]
    with pytest.raises(ToolError, match="read-only"):
        tool.run({"query": "WITH d AS (DELETE FROM clients RETURNING id) SELECT * FROM d"})
    with pytest.raises(ToolError, match="only read-only"):
        tool.run({"query": "UPDATE clients SET name = 'x'"})
    with pytest.raises(ToolError, match="statement timeout"):
        tool.run({"query": "SELECT pg_sleep(3)"})
    out = json.loads(tool.run({"query": "SELECT count(*) FROM clients"}).content)
    assert out["rows"] == [[120]]
