"""Regenerate, edit, step between versions, continue, delete: on the real window and the real
SmolLM2 model; every action adds a version and keeps what was there."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from runtime.types import GenerationOptions


def send(qtbot, window, text):
    qtbot.keyClicks(window.composer.editor, text)
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    wait_idle(qtbot, window)


def wait_idle(qtbot, window, timeout=60_000):
    qtbot.waitUntil(lambda: window.controller.reply is None, timeout=timeout)


def views(window, role=None):
    return [v for v in window.chat_view.messages() if role is None or v.role == role]


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_regenerate_then_step_between_versions(qtbot, open_window, smollm):
    window = open_window()
    window.controller.options = GenerationOptions(max_tokens=12, temperature=1.0)
    send(qtbot, window, "Name a color.")
    first = views(window, "assistant")[0]
    first_text = first.text
    click(qtbot, first.actions.buttons["regenerate"])
    wait_idle(qtbot, window)
    second = views(window, "assistant")[-1]
    assert len(views(window, "assistant")) == 1  # the new version replaces the old one on screen
    assert second.actions.version.text() == "2/2" and second.actions.prev_button.isVisible()
    click(qtbot, second.actions.prev_button)
    shown = views(window, "assistant")[0]
    assert shown.text == first_text and shown.actions.version.text() == "1/2"
    click(qtbot, shown.actions.next_button)
    assert views(window, "assistant")[0].actions.version.text() == "2/2"
    assert len(window.store.siblings(shown.message_id)) == 2


def test_edit_makes_a_new_branch_and_keeps_the_old_one(qtbot, open_window, smollm):
    window = open_window()
    window.controller.options = GenerationOptions(max_tokens=8, temperature=0.0)
    send(qtbot, window, "What is 2 plus 2?")
    send(qtbot, window, "And 3 plus 3?")
    user_first = views(window, "user")[0]
    click(qtbot, user_first.actions.buttons["edit"])
    editor = user_first.findChild(QPlainTextEdit, "editBox")
    editor.setPlainText("What is 5 plus 5?")
    save = [b for b in user_first.findChildren(type(window.composer.send_button)) if b.text() == "Save and send"][0]
    click(qtbot, save)
    wait_idle(qtbot, window)
    on_screen = [(v.role, v.text) for v in views(window)]
    assert on_screen[0] == ("user", "What is 5 plus 5?") and len(on_screen) == 2
    assert views(window, "user")[0].actions.version.text() == "2/2"
    click(qtbot, views(window, "user")[0].actions.prev_button)
    old = [(v.role, v.text) for v in views(window)]
    assert old[0] == ("user", "What is 2 plus 2?") and old[2] == ("user", "And 3 plus 3?")
    assert len(old) == 4


def test_continue_a_reply_cut_at_the_length_limit(qtbot, open_window, smollm):
    window = open_window()
    window.controller.options = GenerationOptions(max_tokens=6, temperature=0.0)
    send(qtbot, window, "Write a long poem about the sea.")
    cut = views(window, "assistant")[0]
    assert "length limit" in cut.status.text()
    assert cut.actions.buttons["continue"].isVisible()
    cut_text = cut.text
    click(qtbot, cut.actions.buttons["continue"])
    wait_idle(qtbot, window)
    longer = views(window, "assistant")[0]
    assert longer.text.startswith(cut_text) and len(longer.text) > len(cut_text)
    assert longer.actions.version.text() == "2/2"


def test_delete_a_message_and_what_followed(qtbot, open_window, smollm):
    window = open_window()
    window.controller.options = GenerationOptions(max_tokens=4, temperature=0.0)
    send(qtbot, window, "One")
    send(qtbot, window, "Two")
    second_user = views(window, "user")[1]
    click(qtbot, second_user.actions.buttons["delete"])
    assert [v.text for v in views(window, "user")] == ["One"]
    assert len(window.store.messages(window.controller.conversation_id)) == 2


def test_copy_message_to_clipboard(qtbot, open_window, smollm):
    window = open_window()
    window.controller.options = GenerationOptions(max_tokens=6, temperature=0.0)
    send(qtbot, window, "Say hello.")
    reply = views(window, "assistant")[0]
    click(qtbot, reply.actions.buttons["copy"])
    assert QApplication.clipboard().text() == reply.text
