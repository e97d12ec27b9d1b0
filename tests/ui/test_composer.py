from PySide6.QtCore import Qt

from app.ui.composer import Composer


def test_enter_sends_and_shift_enter_adds_a_line(qtbot):
    composer = Composer()
    qtbot.addWidget(composer)
    sent = []
    composer.send_requested.connect(sent.append)
    qtbot.keyClicks(composer.editor, "first line")
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer.editor, "second line")
    assert sent == []
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
    assert sent == ["first line\nsecond line"]


def test_empty_message_is_not_sent_and_stop_replaces_send(qtbot):
    composer = Composer()
    qtbot.addWidget(composer)
    composer.show()
    sent = []
    composer.send_requested.connect(sent.append)
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
    assert sent == []
    composer.set_generating(True)
    assert composer.stop_button.isVisible() and not composer.send_button.isVisible()
    qtbot.keyClicks(composer.editor, "queued")
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
    assert sent == [] and composer.editor.toPlainText() == "queued"


def test_escape_stops_a_reply(qtbot, open_window, smollm):
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["w "] * 5000, delay_s=0.01)))
    qtbot.keyClicks(window.composer.editor, "go")
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.reply is not None and len(window.controller.reply.text) > 4)
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.controller.reply is None, timeout=2000)
    stored = window.store.messages(window.controller.conversation_id)[-1]
    assert stored.finish_reason == "cancelled"
