"""The conversation store: SQLite through sqlite-utils, Qt-free, one short transaction per write."""
from .errors import StoreError
from .records import Attachment, Conversation, Message, SearchHit
from .store import Store, open_store

__all__ = ["open_store", "Store", "Conversation", "Message", "Attachment", "SearchHit", "StoreError"]
