"""Schema fingerprints for the migration tests, and the snapshot writer for new migrations.

After adding a migration, write its snapshot with:  python -m tests.store.schema_tools
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from app.store.connection import known_migration_names
from app.store.migrations import migrations

FIXTURES = Path(__file__).parent / "fixtures"


def fingerprint(conn: sqlite3.Connection) -> dict:
    """Columns, indexes and triggers, in a form that compares equal for equal schemas."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    result: dict = {"columns": {}, "indexes": {}, "triggers": {}}
    for table in tables:
        result["columns"][table] = [tuple(r[1:]) for r in conn.execute(f"PRAGMA table_xinfo('{table}')")]
        for _, name, unique, origin, partial in conn.execute(f"PRAGMA index_list('{table}')"):
            cols = [r[2] for r in conn.execute(f"PRAGMA index_info('{name}')")]
            result["indexes"][name] = (table, tuple(cols), unique, origin, partial)
    for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"):
        result["triggers"][name] = sql
    return result


def schema_sql_after(name: str) -> str:
    """The schema SQL of a blank database migrated up to and including migration `name`."""
    db = Database(memory=True)
    names = known_migration_names()
    following = names[names.index(name) + 1:]
    migrations.apply(db, stop_before=following[0] if following else None)
    rows = db.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                      "AND name != '_sqlite_migrations' AND name NOT LIKE 'idx__sqlite_migrations%' "
                      "ORDER BY type, name").fetchall()
    return "".join(f"-- {t} {n}\n{sql};\n" for t, n, sql in rows)


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    for name in known_migration_names():
        target = FIXTURES / f"schema_{name}.sql"
        if not target.exists():  # never overwrite: a committed migration must not change
            target.write_text(schema_sql_after(name), encoding="utf-8")
            print("wrote", target)


if __name__ == "__main__":
    main()
