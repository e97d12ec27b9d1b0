"""The last question, and only it, goes out with its passages; without documents, as typed."""
from app.documents.quote import quote_documents
from app.store import open_store
from runtime.prompting import estimate_tokens
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


def test_the_question_picks_the_passages_and_their_cost_is_counted_in_tokens(tmp_path):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        filler = [f"第{i}章介绍公司的食堂和停车场的规定。" for i in range(200)]  # ~3,600 tokens
        secret = "金库的密码是七四二一，只有夜班保安知道。" + "保安每晚巡逻三次。" * 20  # 200 characters
        texts = filler[:150] + [secret] + filler[150:]
        store.add_document(cid, "手册.txt", "".join(texts).encode(), "text", 0, [("", t) for t in texts])
        history = [ChatMessage("user", "金库的密码是多少？")]
        passages = quote_documents(store, cid, history, 640, 128)  # (640 - 128 reserved) / 2 = 256 tokens of passages
        assert "七四二一" in passages[0].text
        # Counted as tokens (2 a Chinese character), not characters: the 200-character passage,
        # which 256 characters would hold whole, is cut to fit 256 tokens.
        assert len(passages) == 1 and len(passages[0].text) < 200
        assert estimate_tokens(passages[0].text) <= 256 < estimate_tokens(secret)
        assert history[0].content.endswith("Question: 金库的密码是多少？")


def test_a_history_without_a_question_is_left_alone(tmp_path):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        store.add_document(cid, "a.txt", b"The code is 7421.", "text", 0, [("", "The code is 7421.")])
        history = [ChatMessage("system", "Be brief."), ChatMessage("assistant", "Hello")]
        assert quote_documents(store, cid, history, 4096, 512) == []
        assert history == [ChatMessage("system", "Be brief."), ChatMessage("assistant", "Hello")]
