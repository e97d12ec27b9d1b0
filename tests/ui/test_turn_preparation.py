"""A turn over documents is planned on a worker thread (issue 14: quoting a long PDF stalled the
window): the request is the one the GUI thread would build, for send, regenerate, edit and
continue; a chat switched meanwhile does not start its turn; a model load waits for a token count
under way and no count reaches the engine after it. Real window, SQLite file, runtime thread and
embedding model; the chat model is scripted."""
import threading
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton

import app.chat.service as service
from app.documents.embedding import embedder
from runtime.types import GenerationOptions
from tests.ui.test_documents import HANDBOOK, drop_files, wait_documents
from tests.ui.test_scripted_replies import open_scripted, send

OPTIONS = GenerationOptions(max_tokens=1_000_000, temperature=0.3, seed=7)


def handbook_window(qtbot, open_window, smollm, tmp_path, pieces=("The code is ", "7421 [1].")):
    """A window with the handbook attached, read and embedded."""
    (tmp_path / "handbook.md").write_text(HANDBOOK, encoding="utf-8")
    window, backend = open_scripted(open_window, smollm, list(pieces))
    window.controller.options = OPTIONS
    window.controller.system_prompt = ""
    drop_files(window, tmp_path / "handbook.md")
    wait_documents(qtbot, window, 1)
    model = embedder()
    cid = window.controller.conversation_id
    qtbot.waitUntil(lambda: not window.store.passages_without_vectors(cid, model.name, 4 * model.dim),
                    timeout=120_000)
    return window, backend


def quoting_threads(monkeypatch, gate: threading.Event | None = None):
    """The threads quote_documents runs on (the real one, watched; held at `gate` when given)."""
    seen = []
    real = service.quote_documents

    def watched(*args, **kw):
        seen.append(threading.current_thread())
        if gate is not None:
            gate.wait(10)
        return real(*args, **kw)

    monkeypatch.setattr(service, "quote_documents", watched)
    return seen


def started_requests(window):
    """The request of each turn the window starts, as it starts."""
    requests = []
    window.controller.generating_changed.connect(
        lambda busy: busy and requests.append(window.controller.reply.turn))
    return requests


def test_the_request_planned_off_the_gui_thread_is_the_one_the_gui_thread_plans(
        qtbot, open_window, smollm, tmp_path, monkeypatch):
    window, backend = handbook_window(qtbot, open_window, smollm, tmp_path)
    threads = quoting_threads(monkeypatch)
    turns = started_requests(window)
    controller = window.controller

    def same_as_planned_here(prefix=""):
        turn = turns[-1]
        assert threads[-1] is not threading.main_thread()  # quoted on the worker
        parent = window.store.get_message(turn.message_id).parent_id
        here = controller.turns.plan(parent, prefix)
        assert threads[-1] is threading.main_thread()
        assert turn.request == here and here.sources and here.ranker
        assert backend.prompts[-1] == list(here.messages) and backend.options[-1] == OPTIONS
        stored = window.store.reply_sources([turn.message_id])[turn.message_id]
        assert [(p.name, p.location, p.text) for p in stored] == [(p.name, p.location, p.text) for p in here.sources]

    send(qtbot, window, "What is the vault's secret code?", wait=False)
    assert controller.preparing and controller.reply is None  # Enter returned before the quoting
    qtbot.waitUntil(lambda: len(turns) == 1 and controller.reply is None, timeout=60_000)
    same_as_planned_here()
    assert "7421" in backend.prompts[-1][-1].content

    reply = [v for v in window.chat_view.messages() if v.role == "assistant"][-1]
    qtbot.mouseClick(reply.actions.buttons["regenerate"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(turns) == 2 and controller.reply is None, timeout=60_000)
    same_as_planned_here()

    question = [v for v in window.chat_view.messages() if v.role == "user"][-1]
    qtbot.mouseClick(question.actions.buttons["edit"], Qt.MouseButton.LeftButton)
    question.findChild(QPlainTextEdit, "editBox").setPlainText("Where is the parking?")
    save = [b for b in question.findChildren(QPushButton) if b.text() == "Save and send"][0]
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(turns) == 3 and controller.reply is None, timeout=60_000)
    same_as_planned_here()
    assert backend.prompts[-1][-1].content.endswith("Question: Where is the parking?")

    cut = turns[-1].message_id
    old_text = window.store.get_message(cut).content
    controller.continue_reply(cut)  # as its Continue button does
    qtbot.waitUntil(lambda: len(turns) == 4 and controller.reply is None, timeout=60_000)
    same_as_planned_here(prefix=old_text)
    assert backend.prompts[-1][-1].content == old_text  # the model goes on from the cut text
    versions = window.store.siblings(turns[-1].message_id)
    assert len(versions) == 2 and window.store.get_message(turns[-1].message_id).content.startswith(old_text)


def test_a_chat_switched_while_its_turn_is_planned_does_not_start_it(
        qtbot, open_window, smollm, tmp_path, monkeypatch):
    window, backend = handbook_window(qtbot, open_window, smollm, tmp_path)
    gate = threading.Event()
    threads = quoting_threads(monkeypatch, gate)
    cid = window.controller.conversation_id
    send(qtbot, window, "What is the vault's secret code?", wait=False)
    qtbot.waitUntil(lambda: len(threads) == 1)  # the worker is quoting
    window.controller.new_chat()
    gate.set()
    threads[0].join(10)
    qtbot.wait(200)  # the planned request reaches the GUI thread, and is dropped
    assert window.controller.reply is None and not window.controller.preparing and backend.prompts == []
    assert [(m.role, m.content) for m in window.store.messages(cid)] == [("user", "What is the vault's secret code?")]
    # The window takes the next question at once.
    send(qtbot, window, "Hello")
    assert backend.prompts[-1][-1].content == "Hello"


def slow_counter(engine_count):
    """The engine's token count, slowed so that a load or a close is asked while it runs:
    (set when a count starts, the times counts started, the times they ended, the counter).
    The quoting counts up to four times; on a busy machine the load or close may come during
    a later count than the first, so the tests check that every count begun has ended, not how many."""
    counting, started, counted = threading.Event(), [], []

    def slow_count(text):
        started.append(time.monotonic())
        counting.set()
        time.sleep(0.3)
        n = engine_count(text)
        counted.append(time.monotonic())
        return n

    return counting, started, counted, slow_count


def test_a_load_asked_while_a_turn_is_planned_waits_for_the_count_under_way(
        qtbot, open_window, smollm, tmp_path, monkeypatch):
    """A load frees the model the worker counts tokens with (natively: a crash, not an error)."""
    window, backend = handbook_window(qtbot, open_window, smollm, tmp_path)
    controller = window.controller
    engine_count = controller.runtime.token_counter()
    counting, started, counted, slow_count = slow_counter(engine_count)  # the load is asked meanwhile
    loads = []

    monkeypatch.setattr(controller.runtime, "token_counter", lambda: slow_count)
    load = backend.load
    monkeypatch.setattr(backend, "load", lambda *a: (loads.append(time.monotonic()), load(*a)))
    threads = quoting_threads(monkeypatch)
    send(qtbot, window, "What is the vault's secret code?", wait=False)
    assert counting.wait(30)
    controller.load_model(str(smollm))
    assert counted and len(counted) == len(started)  # the load waited for the count under way
    begun = len(started)
    qtbot.waitUntil(lambda: not threads[0].is_alive() and controller.loading_path is None, timeout=60_000)
    assert loads and loads[0] > max(counted) and len(started) == begun  # no count reached the engine after
    # The question stays, unanswered, on screen; the next one is answered by the new load.
    assert not controller.preparing and backend.prompts == []
    assert [(v.role, v.text) for v in window.chat_view.messages()] == [("user", "What is the vault's secret code?")]
    monkeypatch.setattr(controller.runtime, "token_counter", lambda: engine_count)
    send(qtbot, window, "Where is the parking?", wait=False)
    qtbot.waitUntil(lambda: controller.reply is None and len(backend.prompts) == 1, timeout=60_000)


def test_closing_the_window_while_a_turn_is_planned_waits_for_the_count_then_unloads(
        qtbot, open_window, smollm, tmp_path, monkeypatch):
    window, backend = handbook_window(qtbot, open_window, smollm, tmp_path)
    controller = window.controller
    engine_count = controller.runtime.token_counter()
    counting, started, counted, slow_count = slow_counter(engine_count)  # the window is closed meanwhile
    unloaded = []

    monkeypatch.setattr(controller.runtime, "token_counter", lambda: slow_count)
    monkeypatch.setattr(backend, "unload", lambda: unloaded.append(time.monotonic()))
    threads = quoting_threads(monkeypatch)
    cid = controller.conversation_id
    send(qtbot, window, "What is the vault's secret code?", wait=False)
    assert counting.wait(30)
    window.close()
    assert window.runtime_stopped and not threads[0].is_alive()  # the planning thread ended first
    assert counted and len(counted) == len(started) and unloaded and unloaded[0] > max(counted)
    assert [m.role for m in window.store.messages(cid)] == ["user"]  # kept, unanswered
