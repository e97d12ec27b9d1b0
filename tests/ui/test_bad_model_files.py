"""A bad model file gets a clear sentence in the window; nothing crashes; a good one still loads."""
from tests.ui.conftest import truncated_copy, wait_model_state


def test_not_a_gguf(qtbot, open_window, tmp_path, smollm):
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("these are my notes, not a model\n" * 100)
    window = open_window(str(bogus), wait_ready=False)
    wait_model_state(qtbot, window, "error")
    text = window.model_status.text()
    assert "notes.gguf" in text and "GGUF" in text
    window.controller.load_model(str(smollm))
    wait_model_state(qtbot, window, "ready")


def test_truncated_gguf(qtbot, open_window, tmp_path, smollm):
    cut = truncated_copy(smollm, tmp_path / "cut.gguf", smollm.stat().st_size // 2)
    window = open_window(str(cut), wait_ready=False)
    wait_model_state(qtbot, window, "error")
    text = window.model_status.text()
    assert "cut.gguf" in text and ("truncated" in text.lower() or "incomplete" in text.lower())


def test_missing_file(qtbot, open_window, tmp_path):
    window = open_window(str(tmp_path / "gone.gguf"), wait_ready=False)
    wait_model_state(qtbot, window, "error")
    assert "gone.gguf" in window.model_status.text()


def test_sending_before_a_model_is_ready_keeps_the_text(qtbot, open_window, tmp_path):
    window = open_window(str(tmp_path / "gone.gguf"), wait_ready=False)
    wait_model_state(qtbot, window, "error")
    window.composer.editor.setPlainText("hello?")
    window.composer.send_button.click()
    assert window.composer.editor.toPlainText() == "hello?"
    assert window.notice.isVisible() and "No model is loaded" in window.notice.text()
    assert window.store.list_conversations() == []
