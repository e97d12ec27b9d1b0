"""File > Export / Import on the real window (file dialogs answered by the test)."""
import json

from PySide6.QtWidgets import QFileDialog

from runtime.types import GenerationOptions
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine


def chat_once(qtbot, window, text):
    window.composer.editor.setPlainText(text)
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None, timeout=30_000)


def answer_dialog(monkeypatch, path, name="getSaveFileName", filter_=""):
    monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, **k: (str(path), filter_)))


def test_export_markdown_then_json_and_import_elsewhere(qtbot, open_window, smollm, tmp_path, monkeypatch):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["**Bonjour** ", "à ", "vous"])))
    window.controller.options = GenerationOptions(max_tokens=100)
    chat_once(qtbot, window, "Say hello in French 你好")
    md = tmp_path / "out" / "chat.md"
    md.parent.mkdir()
    answer_dialog(monkeypatch, md, filter_="Markdown (*.md)")
    window.history_files.export_conversation(window.controller.conversation_id)
    text = md.read_text(encoding="utf-8")
    assert "Say hello in French 你好" in text and "**Bonjour** à vous" in text
    assert "Exported 1" in window.notice.text()

    dump = tmp_path / "out" / "all.json"
    answer_dialog(monkeypatch, dump, filter_="DeskSeek JSON (*.json)")
    window.history_files.export_all()
    assert json.loads(dump.read_text(encoding="utf-8"))

    # A fresh store imports it and the sidebar lists it.
    window.store.delete_conversation(window.controller.conversation_id)
    window.store.purge_deleted(before="9999")
    window.refresh_conversations()
    window.history_files.import_file(dump)
    assert "Imported 1 conversation (2 messages)" in window.notice.text()
    window.history_files.import_file(dump)  # again: it is here now
    assert window.notice.text() == "Imported 0 conversations (0 messages); 1 was already here."
    assert [c.title for c in window.store.list_conversations()] == ["Say hello in French 你好"]


def test_bad_import_and_unwritable_export_say_why_and_change_nothing(qtbot, open_window, smollm, tmp_path, monkeypatch):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["ok"])))
    chat_once(qtbot, window, "keep me")
    before = [(c.id, c.title) for c in window.store.list_conversations()]
    bad = tmp_path / "wrong.json"
    bad.write_text('{"format": "something else", "conversations": 3}')
    window.history_files.import_file(bad)
    assert "wrong.json" in window.notice.text()
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    answer_dialog(monkeypatch, blocked / "cannot" / "chat.md", filter_="Markdown (*.md)")
    window.history_files.export_conversation(window.controller.conversation_id)
    assert "could not be written" in window.notice.text()
    assert [(c.id, c.title) for c in window.store.list_conversations()] == before


def test_a_deleted_conversation_comes_back_from_its_export(qtbot, open_window, smollm, tmp_path, monkeypatch):
    """Deleted past the Undo (in the bin, not listed): importing its own export restores it."""
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["kept ", "answer"])))
    chat_once(qtbot, window, "a question worth keeping")
    chat_once(qtbot, window, "and a second one")
    cid = window.controller.conversation_id
    export = tmp_path / "one.json"
    answer_dialog(monkeypatch, export, filter_="DeskSeek JSON (*.json)")
    window.history_files.export_conversation(cid)
    window.store.delete_conversation(cid)
    window.refresh_conversations()
    assert window.store.list_conversations() == []
    window.history_files.import_file(export)
    assert window.notice.text() == "Imported 1 conversation (4 messages)."
    assert [c.id for c in window.store.list_conversations()] == [cid]
    assert window.sidebar.model.row_of(cid) >= 0  # listed in the sidebar again
