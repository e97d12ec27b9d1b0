"""Notices: a refused model file is a banner the user can close while the model bar keeps
describing the model in use; a later success of the same kind clears the banner."""
from PySide6.QtCore import Qt

from runtime.types import GenerationOptions
from tests.ui.conftest import wait_model_state
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine


def refuse_a_file(qtbot, window, tmp_path):
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("not a model")
    window.controller.load_model(str(bogus))
    wait_model_state(qtbot, window, "ready")


def test_a_refused_file_leaves_the_bar_describing_the_working_model(qtbot, open_window, smollm, tmp_path):
    window = open_window(str(smollm))
    before = window.model_status.text()
    assert "English only" in before and "running on the CPU" in before
    refuse_a_file(qtbot, window, tmp_path)
    assert window.model_status.text() == before
    assert window.notice.isVisible()
    assert "notes.gguf" in window.notice.text() and "still using SmolLM2" in window.notice.text()


def test_the_refusal_banner_has_a_close_button(qtbot, open_window, smollm, tmp_path):
    window = open_window(str(smollm))
    refuse_a_file(qtbot, window, tmp_path)
    close = window.notice.close_button
    assert close.isVisible() and close.accessibleName() == "Close this message"
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not window.notice.isVisible() and window.notice.text() == ""


def test_a_later_load_that_works_clears_the_refusal(qtbot, open_window, smollm, tmp_path):
    window = open_window(str(smollm))
    refuse_a_file(qtbot, window, tmp_path)
    window.controller.load_model(str(smollm))
    wait_model_state(qtbot, window, "ready")
    qtbot.waitUntil(lambda: window.controller.loading_path is None)
    assert not window.notice.isVisible()
    assert "English only" in window.model_status.text()


def test_a_message_that_is_sent_clears_the_chat_notice_but_not_the_refusal(qtbot, open_window, smollm, tmp_path):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["ok"])))
    window.controller.options = GenerationOptions(max_tokens=4)
    window.show_notice("Something about the chat went wrong.")
    window.composer.editor.setPlainText("hello")
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None)
    assert not window.notice.isVisible()
    refuse_a_file(qtbot, window, tmp_path)
    window.composer.editor.setPlainText("hello again")
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None)
    assert window.notice.isVisible() and "notes.gguf" in window.notice.text()
