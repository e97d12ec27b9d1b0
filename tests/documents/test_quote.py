"""The last question, and only it, goes out with its passages; without documents, as typed."""
from app.documents.quote import quote_documents
from app.store import open_store
from runtime.types import ChatMessage


def test_only_the_last_question_is_quoted(tmp_path):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        history = [ChatMessage("system", "Be brief."), ChatMessage("user", "Hi"),
                   ChatMessage("assistant", "Hello"), ChatMessage("user", "What is the code?")]
        assert quote_documents(store, cid, list(history), 4096, 512) == []  # nothing attached
        store.add_document(cid, "a.txt", b"The code is 7421.", "text", 0, [("", "The code is 7421.")])
        quoted = list(history)
        passages = quote_documents(store, cid, quoted, 4096, 512)
        assert [p.text for p in passages] == ["The code is 7421."]
        assert quoted[:3] == history[:3]
        assert quoted[3].role == "user" and "[1] a.txt\nThe code is 7421." in quoted[3].content
        assert quoted[3].content.endswith("Question: What is the code?")
