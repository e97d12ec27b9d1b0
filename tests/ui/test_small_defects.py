"""Small things a new user tripped over: no feedback after Copy code, a generic export file
name, "1 were", and a --help that did not name the terminal commands."""
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor, QTextDocument
from PySide6.QtWidgets import QFileDialog

from app.ui.message_actions import COPIED_MS
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

ROOT = Path(__file__).resolve().parents[2]


def click_text(qtbot, browser, text: str) -> None:
    found = browser.document().find(text, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull(), text
    middle = QTextCursor(found)
    middle.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    point = browser.cursorRect(middle).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_copy_code_says_copied_for_a_moment(qtbot, open_window, smollm):
    reply = "Run this:\n\n```bash\nls -la\n```\n"
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend([reply])))
    window.composer.editor.setPlainText("how do I list files?")
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None)
    view = window.chat_view.messages()[-1]
    QGuiApplication.clipboard().clear()
    assert not view.actions.copied.isVisible()
    click_text(qtbot, view.body, "Copy code")
    assert QGuiApplication.clipboard().text() == "ls -la"
    assert view.actions.copied.isVisible() and view.actions.copied.text() == "Copied"
    qtbot.waitUntil(lambda: not view.actions.copied.isVisible(), timeout=COPIED_MS + 2000)
    view.actions.buttons["copy"].click()  # the whole message too
    assert QGuiApplication.clipboard().text() == reply and view.actions.copied.isVisible()


def test_the_export_dialog_suggests_the_conversations_title(qtbot, open_window, smollm, monkeypatch, tmp_path):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["ok"])))
    conv = window.store.create_conversation(title='Plans: Q3/Q4 "draft" <v2>?')
    window.controller.open_conversation(conv.id)
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, name, filters: asked.append(name) or ("", "")))
    window.history_files.export_conversation(conv.id)
    assert asked == ["Plans Q3 Q4 draft v2.md"]
    untitled = window.store.create_conversation(title="")
    window.history_files.export_conversation(untitled.id)
    assert asked[-1] == "conversation.md"
    chinese = window.store.create_conversation(title="租房合同 问题")
    window.history_files.export_conversation(chinese.id)
    assert asked[-1] == "租房合同 问题.md"


def test_import_counts_use_plural_forms(qtbot, open_window, smollm, tmp_path):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["ok"])))
    conv = window.store.create_conversation(title="one")
    window.store.add_message(conv.id, "user", "hello")
    path = tmp_path / "one.json"
    window.history_files._export(path, [conv.id], json_format=True)
    assert "Exported 1 conversation to" in window.notice.text()
    window.history_files.import_file(path)
    assert window.notice.text() == "Imported 0 conversations (0 messages); 1 was already here."


def test_help_lists_every_terminal_command():
    from app.__main__ import TERMINAL_COMMANDS

    out = subprocess.run([sys.executable, "-m", "app", "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    for name in TERMINAL_COMMANDS:
        assert re.search(rf"^\s+deskseek {name}\b.*\S", out.stdout, re.MULTILINE), (name, out.stdout)
    assert "--model" in out.stdout
