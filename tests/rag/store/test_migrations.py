import sqlite3

from siyada.rag.store import migrations


def test_migrations_apply_once_and_are_recorded(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.sqlite", isolation_level=None)
    assert migrations.migrate(conn) == [name for name, _ in migrations.MIGRATIONS]
    assert migrations.migrate(conn) == []
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"documents", "chunks", "chunks_fts", "vectors", "vector_log", "meta"} <= tables


def test_a_new_migration_upgrades_an_old_file(tmp_path, monkeypatch):
    conn = sqlite3.connect(tmp_path / "m.sqlite", isolation_level=None)
    migrations.migrate(conn)
    extra = ("999_test", lambda c: c.execute("CREATE TABLE extra (x)"))
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, extra])
    assert migrations.migrate(conn) == ["999_test"]
    assert conn.execute("SELECT COUNT(*) FROM extra").fetchone()[0] == 0
