"""The context a conversation's documents need to be given whole is the one at which the quoting
itself gives them whole (the same budget rule), and an offer is made only when the machine holds
more than the loaded context. A real history file, the real SmolLM2 header, this machine."""
from __future__ import annotations

import pytest

from app.documents.context_offer import context_for_whole, context_offer, documents_tokens
from app.documents.quote import quote_documents
from app.documents.read import read_document
from app.store import open_store
from runtime.planner import PlanPreferences
from runtime.types import ChatMessage
from tests.fixtures.models import real

TEXT = "\n\n".join(f"Paragraph {i}: the lease runs {i % 9 + 1} years; rent is due on day {i % 28 + 1}; "
                   f"深度求索的第{i}条。" for i in range(60))


@pytest.fixture
def conversation(tmp_path):
    store = open_store(tmp_path / "history.sqlite3")
    cid = store.create_conversation("lease").id
    (tmp_path / "lease.txt").write_text(TEXT, encoding="utf-8")
    read_document(store, cid, str(tmp_path / "lease.txt"), "lease.txt")
    yield store, cid
    store.close()


def test_the_context_needed_is_where_the_quoting_gives_the_documents_whole(conversation):
    store, cid = conversation
    tokens = documents_tokens(store, cid, "What is the rent?")
    assert tokens > 1000
    needed = context_for_whole(tokens, 1024)
    every = len(store.find_passages(cid, "", float("inf"), len))
    for n_ctx, whole in ((needed, True), (needed - 256, False)):
        history = [ChatMessage("user", "What is the rent?")]
        quoted = quote_documents(store, cid, history, n_ctx, 1024)
        assert (len(quoted) == every) is whole, n_ctx


def test_an_offer_only_when_the_machine_holds_more(conversation, tmp_path):
    store, cid = conversation
    model = str(real.need_smollm2())  # trained for 8192 tokens
    offer = context_offer(store.path, cid, model, 2048, None, PlanPreferences(), 1024)
    assert offer is not None and offer.loaded == 2048 and offer.machine > 2048
    assert offer.needed == context_for_whole(offer.tokens, 1024) and not offer.on_gpu
    assert offer.whole == (offer.machine >= offer.needed)
    assert context_offer(store.path, cid, model, offer.machine, None, PlanPreferences(), 1024) is None
    assert context_offer(store.path, cid, model, offer.needed, None, PlanPreferences(), 1024) is None  # fits
    empty = store.create_conversation("nothing attached").id
    assert context_offer(store.path, empty, model, 2048, None, PlanPreferences(), 1024) is None
    assert context_offer(store.path, cid, "http://127.0.0.1:9/v1", 2048, None, PlanPreferences(), 1024) is None


@pytest.fixture(autouse=True)
def machine_asked_afresh(monkeypatch):
    """The app remembers the machine's answer per loaded model for the process; each test here
    asks the machine itself (a test run in a process that asked before would reuse its answer)."""
    from app.documents import context_offer as module

    monkeypatch.setattr(module, "_answers", {})


def test_an_offer_for_documents_the_machine_holds_whole_names_its_conversation_and_model(tmp_path):
    store = open_store(tmp_path / "history.sqlite3")
    cid = store.create_conversation("short lease").id
    (tmp_path / "short.txt").write_text(TEXT[: len(TEXT) // 3], encoding="utf-8")
    read_document(store, cid, str(tmp_path / "short.txt"), "short.txt")
    store.close()
    model = str(real.need_smollm2())
    offer = context_offer(store.path, cid, model, 2048, None, PlanPreferences(), 1024)
    assert offer is not None and 2048 < offer.needed < offer.machine and offer.whole
    assert (offer.conversation_id, offer.model_path, offer.loaded, offer.on_gpu) == (cid, model, 2048, False)
    assert offer.needed == context_for_whole(offer.tokens, 1024)
    # Loaded with exactly the context they need, or more: no offer; one step less: the offer again.
    assert context_offer(store.path, cid, model, offer.needed, None, PlanPreferences(), 1024) is None
    again = context_offer(store.path, cid, model, offer.needed - 256, None, PlanPreferences(), 1024)
    assert again is not None and (again.machine, again.needed) == (offer.machine, offer.needed)


def test_documents_tokens_of_a_conversation_without_documents_is_zero(tmp_path):
    with open_store(tmp_path / "history.sqlite3") as store:
        assert documents_tokens(store, store.create_conversation("empty").id) == 0


@pytest.mark.parametrize("reply_tokens", [0, 1024, 3000])
def test_the_context_for_whole_is_the_shortest_step_whose_room_holds_them(reply_tokens):
    from app.documents.quote import quoting_room

    for tokens in (1, 100, 1000, 3898, 50_000):
        n_ctx = context_for_whole(tokens, reply_tokens)
        assert type(n_ctx) is int and n_ctx % 256 == 0, (tokens, n_ctx)
        assert quoting_room(n_ctx, reply_tokens) >= tokens
        assert n_ctx == 256 or quoting_room(n_ctx - 256, reply_tokens) < tokens, (tokens, n_ctx)
    for steps in (1, 2, 16, 40):  # a room met exactly: that context, not the next
        room = quoting_room(steps * 256, reply_tokens)
        if room > quoting_room(steps * 256 - 256, reply_tokens) and room > 0:
            assert context_for_whole(room, reply_tokens) == steps * 256


def test_the_documents_size_counts_the_question_and_none_by_default(conversation):
    store, cid = conversation
    without = documents_tokens(store, cid)
    assert without == documents_tokens(store, cid, "")
    assert documents_tokens(store, cid, "How long does the lease run? " * 20) > without + 100


def test_each_model_gets_the_machines_answer_for_itself(tmp_path):
    """The answers are remembered per model: a second model asked in the same process gets its own
    (a tiny GGUF trained for 2048 tokens beside SmolLM2's 8192)."""
    from tests.fixtures.models.tiny import write_gguf

    store = open_store(tmp_path / "history.sqlite3")
    cid = store.create_conversation("short lease").id
    (tmp_path / "short.txt").write_text(TEXT[: len(TEXT) // 3], encoding="utf-8")
    read_document(store, cid, str(tmp_path / "short.txt"), "short.txt")
    store.close()
    tiny, smol = str(write_gguf(tmp_path / "tiny.gguf")), str(real.need_smollm2())
    for model, machine in ((smol, 8192), (tiny, 2048), (smol, 8192)):
        offer = context_offer(store.path, cid, model, 1024, None, PlanPreferences(), 1024)
        assert (offer.model_path, offer.machine) == (model, machine)


def test_on_a_gpu_the_offer_says_so_and_counts_the_loaded_models_memory_as_free(conversation, monkeypatch):
    """A machine with a GPU, described as the planner's tests describe one (this one has none):
    SmolLM2 loaded on it at 2048 tokens holds most of the GPU's memory. The offer says the longer
    context runs on the GPU and counts what the loaded model holds as free (a reload lets it go
    first): 8192 tokens, where the GPU's free memory alone holds 4096; and the machine's answer
    is remembered per device the model runs on, not shared with the same model not loaded."""
    from runtime import loading
    from runtime.hardware import GpuInfo, HardwareInfo
    from runtime.modelfile import inspect
    from runtime.planner import plan

    gb, mb = 1024**3, 2**20
    model = str(real.need_smollm2())

    def gpu_box(gpu_free: int) -> HardwareInfo:
        return HardwareInfo((GpuInfo(0, "GPU 8G", 8 * gb, gpu_free, (8, 9), "GPU-0", 1e12),), 16 * gb, 2000 * mb,
                            2, 2, True)

    loaded = plan(gpu_box(7 * gb), inspect(model), PlanPreferences(n_ctx=2048)).plans[0]
    assert loaded.device == "cuda:0" and loaded.n_ctx == 2048
    monkeypatch.setattr(loading, "probe", lambda: gpu_box(loaded.est_bytes["cuda:0"] + 200 * mb))
    store, cid = conversation
    offer = context_offer(store.path, cid, model, 2048, loaded, PlanPreferences(), 1024)
    assert (offer.machine, offer.on_gpu) == (8192, True)
    alone = context_offer(store.path, cid, model, 2048, None, PlanPreferences(), 1024)
    assert (alone.machine, alone.on_gpu) == (4096, True)
