"""The one append-only migration set of the history database.

Rules (as in simonw/llm): never edit or reorder a migration once committed; add a new small
function at the end. Each runs in its own transaction with the record of it being applied.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

SET_NAME = "deskseek"
migrations = Migrations(SET_NAME)


@migrations()
def m001_initial(db: Database) -> None:
    db.execute("""
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            active_leaf_id TEXT
        )""")
    # seq is an explicit INTEGER PRIMARY KEY so the rowid stays stable across VACUUM:
    # derived indexes (full-text search) refer to it.
    db.execute("""
        CREATE TABLE messages (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            parent_id TEXT REFERENCES messages(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            content TEXT NOT NULL DEFAULT '',
            reasoning TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            engine TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'done',
            finish_reason TEXT NOT NULL DEFAULT '',
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            time_to_first_token_s REAL,
            total_s REAL NOT NULL DEFAULT 0,
            error TEXT,
            created TEXT NOT NULL,
            stream_pid INTEGER
        )""")
    db.execute("CREATE INDEX messages_conversation ON messages(conversation_id, created)")
    db.execute("CREATE INDEX messages_parent ON messages(parent_id)")
    db.execute("CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming'")
    db.execute("CREATE INDEX conversations_updated ON conversations(updated)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m002_conversation_flags(db: Database) -> None:
    table = db["conversations"]
    table.add_column("pinned", int, not_null_default=0)
    table.add_column("archived", int, not_null_default=0)
    table.add_column("system_prompt", str, not_null_default="")
    table.add_column("options", str, not_null_default="{}")
    table.add_column("deleted", str)  # soft delete: set while the user can still undo
    db.execute("DROP INDEX conversations_updated")
    db.execute("CREATE INDEX conversations_list ON conversations(deleted, archived, pinned, updated)")


@migrations()
def m003_plan_reason_and_attachments(db: Database) -> None:
    db["messages"].add_column("plan_reason", str, not_null_default="")
    # Files are stored once per content hash, however many messages carry them.
    db.execute("""
        CREATE TABLE attachments (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mime TEXT NOT NULL DEFAULT '',
            data BLOB NOT NULL,
            created TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE message_attachments (
            message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            sha256 TEXT NOT NULL REFERENCES attachments(sha256),
            name TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (message_id, position)
        )""")
    db.execute("CREATE INDEX message_attachments_sha256 ON message_attachments(sha256)")


@migrations()
def m004_search_index(db: Database) -> None:
    from . import search_index  # derived data: filled from the messages already there

    db.execute(search_index.CREATE_SQL)
    search_index.rebuild(db)


@migrations()
def m005_slimmer_message_index(db: Database) -> None:
    # Nothing orders a conversation's messages by time through an index (branches follow
    # parent ids, exports follow seq); the created column only made the index 2x larger.
    db.execute("DROP INDEX messages_conversation")
    db.execute("CREATE INDEX messages_conversation ON messages(conversation_id)")


@migrations()
def m006_stream_heartbeat(db: Database) -> None:
    # When a streaming reply was last checkpointed: a process id alone can be reused by an
    # unrelated program after a crash or reboot, which would leave the reply "streaming".
    db["messages"].add_column("stream_heartbeat", str)


@migrations()
def m007_documents(db: Database) -> None:
    # Documents the user attached to a conversation: the file itself lives in `attachments`
    # (by hash); its passages and their full-text index are derived and can be rebuilt from it.
    db.execute("""
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL REFERENCES attachments(sha256),
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            pages INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX documents_conversation ON documents(conversation_id)")
    db.execute("CREATE INDEX documents_sha256 ON documents(sha256)")
    db.execute("""
        CREATE TABLE document_passages (
            seq INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            location TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX document_passages_document ON document_passages(document_id, ordinal)")
    db.execute("CREATE VIRTUAL TABLE passages_fts USING fts5(body, content='', "
               "tokenize='unicode61 remove_diacritics 2')")
    # The passages a reply was given, numbered as the reply cites them ([1], [2] ...).
    db.execute("""
        CREATE TABLE reply_sources (
            message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            name TEXT NOT NULL,
            location TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            PRIMARY KEY (message_id, n)
        )""")


@migrations()
def m008_passage_vectors(db: Database) -> None:
    # One embedding per passage and model (float32 little-endian BLOB), for ranking passages by
    # meaning across languages beside bm25. Derived: rebuilt from the passages' text when missing.
    db.execute("""
        CREATE TABLE passage_vectors (
            seq INTEGER NOT NULL REFERENCES document_passages(seq) ON DELETE CASCADE,
            model TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, seq)
        ) WITHOUT ROWID""")
    db.execute("CREATE INDEX passage_vectors_seq ON passage_vectors(seq)")


@migrations()
def m009_conversation_origin(db: Database) -> None:
    # Where a conversation came from: '' the window (or an import), 'api' the local API server
    # (saved when Settings > Local API server says so); the sidebar marks the latter.
    db.execute("ALTER TABLE conversations ADD COLUMN origin TEXT NOT NULL DEFAULT ''")
