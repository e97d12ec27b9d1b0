"""Bugs found by driving the window like a user; each test is the user's sequence."""
import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton

from runtime.types import GenerationOptions
from tests.ui.conftest import wait_model_state
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

ROOT = Path(__file__).resolve().parents[2]


def slow_replies(open_window, smollm, **kw):
    backend = ScriptedBackend([f"w{i} " for i in range(3000)], delay_s=0.01, **kw)
    window = open_window(str(smollm), engine=scripted_engine(backend))
    window.controller.options = GenerationOptions(max_tokens=100_000)
    return window, backend


def type_and_send(qtbot, window, text):
    window.composer.editor.setPlainText(text)
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)


def test_new_chat_while_a_reply_streams_keeps_the_window_usable(qtbot, open_window, smollm):
    window, _ = slow_replies(open_window, smollm)
    type_and_send(qtbot, window, "first")
    qtbot.waitUntil(lambda: window.controller.reply is not None and len(window.controller.reply.text) > 10)
    first_conversation = window.controller.conversation_id
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.reply is None and window.composer.send_button.isVisible()
    stored = window.store.messages(first_conversation)[-1]
    assert stored.status == "done" and stored.finish_reason == "cancelled" and stored.content.startswith("w0 w1")
    type_and_send(qtbot, window, "second")  # the window still sends
    qtbot.waitUntil(lambda: window.controller.reply is not None and len(window.controller.reply.text) > 10)
    assert window.controller.conversation_id != first_conversation
    window.controller.stop()
    qtbot.waitUntil(lambda: window.controller.reply is None, timeout=3000)


def test_opening_another_conversation_while_streaming(qtbot, open_window, smollm):
    window, _ = slow_replies(open_window, smollm)
    other = window.store.create_conversation(title="Older chat")
    window.store.add_message(other.id, "user", "an old question")
    window.refresh_conversations()
    type_and_send(qtbot, window, "hello")
    qtbot.waitUntil(lambda: window.controller.reply is not None and len(window.controller.reply.text) > 10)
    window.controller.open_conversation(other.id)
    assert [v.text for v in window.chat_view.messages()] == ["an old question"]
    assert window.controller.reply is None and not window.composer.stop_button.isVisible()


def test_a_bad_model_file_keeps_the_working_model(qtbot, open_window, smollm, tmp_path):
    window = open_window(str(smollm))
    window.controller.options = GenerationOptions(max_tokens=4, temperature=0.0)
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("not a model")
    window.controller.load_model(str(bogus))
    wait_model_state(qtbot, window, "ready")
    assert "notes.gguf" in window.notice.text() and "still using" in window.notice.text()
    type_and_send(qtbot, window, "Hi")
    qtbot.waitUntil(lambda: window.controller.reply is None and window.controller.conversation_id is not None,
                    timeout=30_000)
    assert window.store.messages(window.controller.conversation_id)[-1].completion_tokens > 0


def test_an_edit_is_kept_when_it_cannot_be_sent(qtbot, open_window, tmp_path):
    window = open_window(str(tmp_path / "gone.gguf"), wait_ready=False)
    wait_model_state(qtbot, window, "error")
    conv = window.store.create_conversation(title="kept")
    window.store.add_message(conv.id, "user", "original question")
    window.controller.open_conversation(conv.id)
    view = window.chat_view.messages()[0]
    view.actions.buttons["edit"].click()
    view.findChild(QPlainTextEdit, "editBox").setPlainText("a better question")
    [b for b in view.findChildren(QPushButton) if b.text() == "Save and send"][0].click()
    editor = view.findChild(QPlainTextEdit, "editBox")
    assert editor is not None and editor.toPlainText() == "a better question"
    assert "No model is loaded" in window.notice.text()
    assert [m.content for m in window.store.messages(conv.id)] == ["original question"]


def test_escape_in_the_sidebar_search_clears_it(qtbot, open_window, smollm):
    window = open_window(str(smollm))
    window.sidebar.focus_search()
    qtbot.keyClicks(window.sidebar.search, "dragon")
    qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Escape)
    assert window.sidebar.search.text() == ""


def test_the_system_prompt_belongs_to_the_conversation(qtbot, open_window, smollm):
    backend = ScriptedBackend(["ok"])
    window = open_window(str(smollm), engine=scripted_engine(backend))
    window.controller.system_prompt = "You are a pirate."
    type_and_send(qtbot, window, "one")
    qtbot.waitUntil(lambda: window.controller.reply is None)
    window.controller.system_prompt = "You are a butler."  # the user changes the setting
    type_and_send(qtbot, window, "two")
    qtbot.waitUntil(lambda: window.controller.reply is None and len(backend.prompts) == 2)
    assert backend.prompts[1][0].content == "You are a pirate."
    window.new_chat()
    type_and_send(qtbot, window, "three")
    qtbot.waitUntil(lambda: window.controller.reply is None and len(backend.prompts) == 3)
    assert backend.prompts[2][0].content == "You are a butler."


def test_closing_during_a_long_load_abandons_it(qtbot, open_window, smollm):
    backend = ScriptedBackend(["x"], load_s=20.0)
    window = open_window(str(smollm), engine=scripted_engine(backend), wait_ready=False)
    qtbot.waitUntil(lambda: window.model_panel.progress.value() > 0, timeout=5000)
    start = time.monotonic()
    window.close()
    assert window.runtime_stopped and time.monotonic() - start < 3.0


def test_a_damaged_database_gives_a_message_not_a_crash(tmp_path):
    from app.store import open_store

    home = tmp_path / "home"
    store = open_store(home / "deskseek.sqlite3")
    for i in range(200):
        store.add_message(store.create_conversation(title=f"chat {i}").id, "user", "hello " * 200)
    store.close()
    db = home / "deskseek.sqlite3"
    size = db.stat().st_size
    with open(db, "r+b") as f:  # the middle half: the conversation rows are spread all through it
        f.seek(size // 4)
        f.write(b"\xde\xad" * (size // 4))
    code = ("import sys; from PySide6.QtWidgets import QMessageBox;"
            "QMessageBox.critical = staticmethod(lambda parent, title, text: print('DIALOG:', text));"
            "from app.__main__ import main; sys.exit(main([]))")
    env = {**os.environ, "DESKSEEK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1, out.stderr[-2000:]
    assert "DIALOG:" in out.stdout and "damaged" in out.stdout


def test_an_open_edit_box_survives_another_reply(qtbot, open_window, smollm):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["fine"])))
    type_and_send(qtbot, window, "first question")
    qtbot.waitUntil(lambda: window.controller.reply is None)
    first = window.chat_view.messages()[0]
    first.actions.buttons["edit"].click()
    first.findChild(QPlainTextEdit, "editBox").setPlainText("half-written better question")
    type_and_send(qtbot, window, "second question")  # sent from the composer meanwhile
    qtbot.waitUntil(lambda: window.controller.reply is None)
    reopened = window.chat_view.messages()[0]
    assert reopened.pending_edit == "half-written better question"


def test_chat_through_an_openai_compatible_server(qtbot, open_window, smollm, openai_server, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    window = open_window(str(smollm))
    window.controller.options = GenerationOptions(max_tokens=16, temperature=0.0)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (openai_server, True)))
    [a for a in window.menuBar().actions()[0].menu().actions() if "server" in a.text()][0].trigger()
    qtbot.waitUntil(lambda: window.controller.model is not None and window.controller.model.engine == "remote",
                    timeout=30_000)
    assert "127.0.0.1" in window.model_status.text()
    type_and_send(qtbot, window, "What is the capital of France?")
    qtbot.waitUntil(lambda: window.controller.reply is None and window.controller.conversation_id is not None,
                    timeout=30_000)
    reply = [v for v in window.chat_view.messages() if v.role == "assistant"][-1]
    assert "Paris" in reply.text
    assert window.store.get_setting("model_path") == openai_server
