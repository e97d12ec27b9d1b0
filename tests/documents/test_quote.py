"""The last question, and only it, goes out with its passages; without documents, as typed."""
from app.documents.quote import TEMPLATE_TOKENS, quote_documents
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
        filler = [f"第{i}章介绍公司的食堂和停车场的规定。" for i in range(200)]
        secret = "保安每晚巡逻三次。" * 20 + "金库的密码是七四二一，只有夜班保安知道。" + "保安每晚巡逻三次。" * 20
        texts = filler[:150] + [secret] + filler[150:]
        store.add_document(cid, "手册.txt", "".join(texts).encode(), "text", 0, [("", t) for t in texts])
        history = [ChatMessage("user", "金库的密码是多少？")]
        passages = quote_documents(store, cid, history, 1024, 512)
        # Counted as tokens (2.52 a Chinese character), not characters: the 380-character
        # passage (958 tokens) is over the budget, so the part of it that answers is quoted,
        # not its start (nothing but patrols) and not a weaker passage.
        assert "七四二一" in passages[0].text and passages[0].text.startswith("… ")
        assert len(passages) == 1 and len(passages[0].text) < len(secret)
        room = 1024 - 256 - TEMPLATE_TOKENS
        assert estimate_tokens(history[0].content) <= min(room, (1024 - 256) // 2)
        assert history[0].content.endswith("Question: 金库的密码是多少？")


def test_the_models_own_count_decides_and_the_request_fits_it(tmp_path):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        texts = [f"Rule {i}: the parking lot {i} closes at {i % 12 + 1} pm." for i in range(400)]
        store.add_document(cid, "rules.txt", "\n".join(texts).encode(), "text", 0, [("", t) for t in texts])

        def quoted(count_tokens):
            history = [ChatMessage("user", "When does the parking lot close?")]
            found = quote_documents(store, cid, history, 4096, 1024, count_tokens=count_tokens)
            return found, history[0].content

        by_estimate, _ = quoted(None)
        cheap, _ = quoted(lambda text: len(text) // 8)  # a tokenizer cheaper than the bound
        dear, message = quoted(lambda text: len(text))  # one dearer than the bound
        assert len(cheap) > len(by_estimate) > len(dear) > 0
        assert len(message) <= (4096 - 1024) // 2  # within the share, by its own count
        assert quoted(lambda text: 10 * len(text))[0] == []  # nothing fits: the question goes alone


def test_a_long_system_prompt_leaves_less_for_the_passages(tmp_path):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        texts = [f"Rule {i}: the parking lot {i} closes at {i % 12 + 1} pm." for i in range(400)]
        store.add_document(cid, "rules.txt", "\n".join(texts).encode(), "text", 0, [("", t) for t in texts])
        alone = [ChatMessage("user", "When does the parking lot close?")]
        quote_documents(store, cid, alone, 2048, 512)
        system = ChatMessage("system", "Answer in the voice of a pirate. " * 80)  # 1,120 tokens
        with_system = [system, ChatMessage("user", "When does the parking lot close?")]
        quote_documents(store, cid, with_system, 2048, 512)
        full = estimate_tokens(system.content) + estimate_tokens(with_system[1].content) + TEMPLATE_TOKENS
        assert full <= 2048 - 512
        assert len(with_system[1].content) < len(alone[0].content)


def test_a_history_without_a_question_is_left_alone(tmp_path):
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        store.add_document(cid, "a.txt", b"The code is 7421.", "text", 0, [("", "The code is 7421.")])
        history = [ChatMessage("system", "Be brief."), ChatMessage("assistant", "Hello")]
        assert quote_documents(store, cid, history, 4096, 512) == []
        assert history == [ChatMessage("system", "Be brief."), ChatMessage("assistant", "Hello")]


def test_a_long_question_gets_the_passages_that_fit_beside_it(tmp_path):
    """A pasted email as the question in a 4,096 context with 1,024 for the reply: the passages
    get what the question leaves of the 1,536 it may take, and the whole stays within it, counted
    by the estimate, by a tokenizer three times cheaper than a character and by one a character
    a token (dearer than the estimate for English)."""
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _rules(store)
        for count, email in ((None, 55), (lambda text: len(text) // 3, 55), (len, 20)):
            question = "About the parking lot: " + "my manager wrote that the lot closes early. " * email + "When?"
            history = [ChatMessage("user", question)]
            found = quote_documents(store, cid, history, 4096, 1024, count_tokens=count)
            counted = (count or estimate_tokens)(history[0].content)
            assert found and counted <= (4096 - 1024) // 2
            assert history[0].content.endswith("Question: " + question)



def _rules(store):
    cid = store.create_conversation().id
    texts = [f"Rule {i}: the parking lot {i} closes at {i % 12 + 1} pm." for i in range(400)]
    store.add_document(cid, "rules.txt", "\n".join(texts).encode(), "text", 0, [("", t) for t in texts])
    return cid


def test_a_request_the_models_count_puts_at_exactly_the_room_is_sent_with_its_passages(tmp_path):
    """The room is 1,536 tokens (4,096 less 1,024 for the reply, at most half): a tokenizer that
    counts the quoted question at exactly 1,536 fits it."""
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _rules(store)
        history = [ChatMessage("user", "When does the parking lot close?")]
        found = quote_documents(store, cid, history, 4096, 1024,
                                count_tokens=lambda text: 1536 if "Rule" in text else len(text) // 4)
        assert found and "[1] rules.txt" in history[0].content


def test_when_no_choice_fits_the_models_count_the_question_goes_alone(tmp_path):
    """A tokenizer that counts any quoted passage (even one character of it) far over the room:
    no choice fits in the tries, so the question goes as typed."""
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = _rules(store)
        history = [ChatMessage("user", "When does the parking lot close?")]
        found = quote_documents(store, cid, history, 4096, 1024,
                                count_tokens=lambda text: 5000 if "[1] rules.txt\n" in text else len(text) // 4)
        assert found == [] and history[0].content == "When does the parking lot close?"


def test_the_passages_fill_the_room_by_the_models_own_count(tmp_path):
    """Forty passages of ten rules (about 420 characters each), more than the room holds: the
    request ends within 10% under the room by the model's count, whether its tokenizer is eight
    times cheaper than a character or two (measured: 93.5–97.4% of 1,536)."""
    with open_store(tmp_path / "h.sqlite3") as store:
        cid = store.create_conversation().id
        rules = [f"Rule {i}: the parking lot {i} closes at {i % 12 + 1} pm." for i in range(400)]
        texts = [" ".join(rules[i:i + 10]) for i in range(0, 400, 10)]
        store.add_document(cid, "rules.txt", "\n".join(texts).encode(), "text", 0, [("", t) for t in texts])
        for chars_a_token in (8, 4, 3, 2):
            history = [ChatMessage("user", "When does the parking lot close?")]
            quote_documents(store, cid, history, 4096, 1024, count_tokens=lambda text: len(text) // chars_a_token)
            assert 0.9 * 1536 <= len(history[0].content) // chars_a_token <= 1536
