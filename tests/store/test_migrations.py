"""Schema tests in the style of simonw/llm: every older schema migrates to what a blank one gets."""
import re
import sqlite3

import pytest
from sqlite_utils import Database

from app.store import open_store
from app.store.connection import known_migration_names
from app.store.migrations import migrations
from app.store.search_index import index_message

from .schema_tools import FIXTURES, fingerprint, schema_sql_after

NAMES = known_migration_names()


def test_migrations_are_numbered_in_order():
    assert [int(re.match(r"m(\d{3})_", n).group(1)) for n in NAMES] == list(range(1, len(NAMES) + 1))


@pytest.mark.parametrize("name", NAMES)
def test_committed_migrations_never_change(name):
    """A snapshot is written once per migration; editing a shipped migration breaks this."""
    snapshot = FIXTURES / f"schema_{name}.sql"
    assert snapshot.exists(), "new migration: run `python -m tests.store.schema_tools`"
    assert schema_sql_after(name) == snapshot.read_text(encoding="utf-8")


def _blank_fingerprint(tmp_path):
    path = tmp_path / "blank.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        return fingerprint(conn)


@pytest.mark.parametrize("stop_before", NAMES)
def test_old_database_with_data_migrates_to_blank_schema(tmp_path, stop_before):
    """Build the database an older DeskSeek left (schema up to before `stop_before`), with data."""
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before=stop_before)
    if stop_before != NAMES[0]:
        db.execute("INSERT INTO conversations(id, title, model, created, updated, active_leaf_id) "
                   "VALUES ('C1', 'old chat', 'm', '2025-01-01T00:00:00.000000+00:00', "
                   "'2025-01-01T00:00:00.000000+00:00', 'M2')")
        for mid, parent, role, text, status in [("M1", None, "user", "旧的数据库问题 old question", "done"),
                                                ("M2", "M1", "assistant", "partial answer", "streaming")]:
            db.execute("INSERT INTO messages(id, conversation_id, parent_id, role, content, status, created, "
                       "stream_pid) VALUES (?, 'C1', ?, ?, ?, ?, '2025-01-01T00:00:01.000000+00:00', 999999999)",
                       [mid, parent, role, text, status])
            if db["messages_fts"].exists():  # that version indexed what it wrote
                index_message(db, mid)
    db.close()  # before m001: only the bookkeeping table, as a first start cut short leaves it

    store = open_store(path)
    assert {m.name for m in migrations.applied(store._db)} == set(NAMES)
    if stop_before != NAMES[0]:
        assert [m.content for m in store.messages("C1")] == ["旧的数据库问题 old question", "partial answer"]
        assert store.get_message("M2").status == "interrupted"
        assert {h.message_id for h in store.search("数据库")} == {"M1"}
        assert store.get_conversation("C1").pinned is False
    store.close()
    with sqlite3.connect(path) as conn:
        assert fingerprint(conn) == _blank_fingerprint(tmp_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
