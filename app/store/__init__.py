"""The conversation store: SQLite through sqlite-utils, Qt-free, one short transaction per write."""
from .errors import StoreError
from .export_json import export_json
from .export_markdown import conversation_markdown, export_markdown
from .import_chatgpt import import_chatgpt
from .import_json import import_data, import_json
from .records import (
    Attachment, Conversation, Document, DocumentHit, ImportResult, LibraryEntry, Message, Passage, Quoted, SearchHit,
)
from .store import Store, open_store, open_worker_store

__all__ = [
    "open_store", "open_worker_store", "Store", "Conversation", "Message", "Attachment", "Document", "Passage", "Quoted", "SearchHit",
    "LibraryEntry", "DocumentHit",
    "ImportResult",
    "StoreError", "export_json", "export_markdown", "conversation_markdown", "import_json",
    "import_data", "import_chatgpt",
]
