"""Issue 14: a question about documents never ends in a context error, whatever the script, the
context size and the reply length. Counted as the engine counts: the real SmolLM2 GGUF's
tokenizer through its own chat template (LlamaCppBackend.count_tokens), and the engine's own fit
check (runtime.prompting.fit_messages with reply_reserve) must never refuse a request that fitted
without the documents. With the model's counter (the window) any text fits; with the estimate
alone (`deskseek passages`, a server) natural text in every script does."""
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.documents.quote import quote_documents
from app.documents.read import read_document
from app.store import open_store
from runtime.engine import Engine
from runtime.prompting import PromptTooLongError, fit_messages, reply_reserve
from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions, Plan
from tests.fixtures.models import real
from tests.fixtures.scripts import SCRIPTS

PARAGRAPHS = {script: paras for script, paras in SCRIPTS.items() if script not in ("emoji",)}


@pytest.fixture(scope="module")
def engine():
    """SmolLM2 as the window loads it; its context here is small, the n_ctx under test is given
    to the fit check (counting does not depend on the context it was loaded with)."""
    e = Engine()
    e.load([Plan(engine="llama_cpp", model_path=str(real.need_smollm2()), n_ctx=1024, n_threads=1)])
    yield e
    e.unload()


@st.composite
def natural_text(draw, max_paragraphs: int):
    """Paragraphs of one script or several, whole or as their words shuffled."""
    script = draw(st.sampled_from(sorted(PARAGRAPHS)))
    paras = draw(st.lists(st.sampled_from(PARAGRAPHS[script] + PARAGRAPHS["mixed"]), min_size=1,
                          max_size=max_paragraphs))
    if draw(st.booleans()):
        words = " ".join(paras).split(" ")
        paras = [" ".join(draw(st.permutations(words)))]
    return "\n\n".join(paras)


ALPHABETS = "".join(SCRIPTS[s][0] for s in SCRIPTS) + "0123456789 .,;:!?()\n"
any_text = st.text(alphabet=ALPHABETS, min_size=1, max_size=3000)


def request_fits(messages, n_ctx, reply_tokens, engine) -> bool:
    try:
        fit_messages(messages, n_ctx, reply_reserve(n_ctx, reply_tokens), engine.count_tokens)
    except PromptTooLongError:
        return False
    return True


def check_never_overflows(engine, documents, question, system, turns, n_ctx, reply_tokens, counted):
    history = ([ChatMessage("system", system)] if system else []) + turns + [ChatMessage("user", question)]
    assume(request_fits(history, n_ctx, reply_tokens, engine))  # the question alone fits: else no passage helps
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "h.sqlite3") as store:
        cid = store.create_conversation().id
        for i, text in enumerate(documents):
            path = Path(folder) / f"doc{i}.txt"
            path.write_text(f"Document {i}\n\n{text}", encoding="utf-8")  # never the same file twice
            read_document(store, cid, path)
        quoted = list(history)
        passages = quote_documents(store, cid, quoted, n_ctx, reply_tokens,
                                   count_tokens=engine.count_text_tokens if counted else None)
    assert request_fits(quoted, n_ctx, reply_tokens, engine), (n_ctx, reply_tokens, len(passages))
    # The system prompt and the quoted question alone fit: the fit check never has to refuse.
    kept = [m for m in quoted if m.role == "system"] + [quoted[-1]]
    assert engine.count_tokens(kept) <= n_ctx - reply_reserve(n_ctx, reply_tokens)
    asked = [m for m in history if m.role == "system"] + [history[-1]]
    room = n_ctx - reply_reserve(n_ctx, reply_tokens) - engine.count_tokens(asked)
    if room > 900:  # plenty left: the documents are quoted, not dropped to be safe
        assert passages and quoted[-1].content.startswith("Passages from the documents")
    return passages


contexts = st.one_of(st.sampled_from([512, 1024, 2048, 4096, 8192, 32768]), st.integers(512, 32768))
replies = st.one_of(st.sampled_from([0, 256, 1024, 4096]), st.integers(0, 8192))
turns = st.lists(natural_text(2).map(lambda t: t[:600]), max_size=4).map(
    lambda texts: [ChatMessage("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(texts)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(documents=st.lists(natural_text(40), min_size=1, max_size=3),
       question=natural_text(1).map(lambda t: t[:200]),
       system=st.one_of(st.just(""), natural_text(1).map(lambda t: t[:400])),
       turns=turns, n_ctx=contexts, reply_tokens=replies, counted=st.booleans())
def test_natural_text_in_any_script_never_overflows(engine, documents, question, system, turns, n_ctx,
                                                     reply_tokens, counted):
    check_never_overflows(engine, documents, question, system, turns, n_ctx, reply_tokens, counted)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(documents=st.lists(any_text, min_size=1, max_size=3), question=any_text.map(lambda t: t[:150]),
       n_ctx=contexts, reply_tokens=replies)
def test_any_text_never_overflows_when_the_model_counts(engine, documents, question, n_ctx, reply_tokens):
    """Characters drawn at random from every script defeat any per-script estimate (no merges);
    the model's own count still keeps the request within the context."""
    assume(question.strip() and any(d.strip() for d in documents))
    check_never_overflows(engine, documents, question, "", [], n_ctx, reply_tokens, counted=True)


@pytest.mark.parametrize("n_ctx", [512, 1024])
@pytest.mark.parametrize("script, question", [("thai", "เงินประกันจะคืนให้เมื่อไร"), ("cjk", "押金什么时候退还？")])
def test_a_thai_or_chinese_document_gets_a_reply_at_a_small_context(tmp_path, script, question, n_ctx):
    """The real engine, loaded at the context under test, at the window's reply length (1024):
    a reply, never a context error, with the model's counter; the estimate alone fits too."""
    path = tmp_path / f"{script}.txt"
    path.write_text("\n\n".join(SCRIPTS[script] * 8), encoding="utf-8")
    engine = Engine()
    engine.load([Plan(engine="llama_cpp", model_path=str(real.need_smollm2()), n_ctx=n_ctx, n_threads=1)])
    try:
        with open_store(tmp_path / "h.sqlite3") as store:
            cid = store.create_conversation().id
            read_document(store, cid, path)
            estimated = [ChatMessage("user", question)]
            assert quote_documents(store, cid, estimated, n_ctx, 1024)
            assert engine.count_tokens(estimated) <= n_ctx - reply_reserve(n_ctx, 1024)
            history = [ChatMessage("user", question)]
            passages = quote_documents(store, cid, history, n_ctx, 1024, count_tokens=engine.count_text_tokens)
        assert passages and history[0].content.startswith("Passages from the documents")
        assert engine.count_tokens(history) >= engine.count_tokens(estimated)  # the real count never quotes less
        # A reply of up to a quarter of the context (the reserve), stopped after its first tokens.
        cancel = CancelToken()
        events = []
        for event in engine.stream(history, GenerationOptions(max_tokens=1024, temperature=0.0), cancel):
            events.append(event)
            if len(events) == 4:
                cancel.cancel()
        done = events[-1]
        assert isinstance(done, Finished) and done.error is None, done.error
        assert done.reason in ("cancelled", "stop") and done.completion_tokens >= 1 and done.dropped_messages == 0
    finally:
        engine.unload()
