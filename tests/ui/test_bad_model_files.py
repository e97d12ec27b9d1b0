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


def _send_and_wait_for_tokens(qtbot, window, text="Hi"):
    from PySide6.QtCore import Qt

    window.composer.editor.setPlainText(text)
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.reply is None and window.controller.conversation_id is not None,
                    timeout=30_000)
    return window.store.messages(window.controller.conversation_id)[-1]


def _wait_still_using(qtbot, window):
    """The refusal is a notice the user can close; the bar keeps describing the model in use."""
    qtbot.waitUntil(lambda: "still using" in window.notice.text()
                    or window.model_status.property("state") == "error", timeout=60_000)
    assert window.model_status.property("state") == "ready", window.model_status.text()


def test_a_gguf_llama_cpp_refuses_keeps_the_working_model(qtbot, open_window, tmp_path, smollm):
    """The file passes DeskSeek's inspection; llama.cpp refuses its shapes after the old model
    was let go: the old one is loaded again and the chat goes on."""
    from runtime.types import GenerationOptions
    from tests.fixtures.models.refused import misshapen_copy

    window = open_window(str(smollm))
    window.controller.options = GenerationOptions(max_tokens=4, temperature=0.0)
    window.controller.load_model(str(misshapen_copy(smollm, tmp_path / "misshapen.gguf")))
    _wait_still_using(qtbot, window)
    assert "misshapen.gguf" in window.notice.text() or "wrong shape" in window.notice.text()
    reply = _send_and_wait_for_tokens(qtbot, window)
    assert reply.completion_tokens > 0 and reply.error is None
    assert window.store.get_setting("model_path") == str(smollm)


def test_connecting_to_a_server_where_nothing_listens_keeps_the_working_model(qtbot, open_window, smollm,
                                                                                monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from runtime.types import GenerationOptions
    from tests.conftest import free_port

    window = open_window(str(smollm))
    window.controller.options = GenerationOptions(max_tokens=4, temperature=0.0)
    url = f"http://127.0.0.1:{free_port()}/v1"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (url, True)))
    [a for a in window.menuBar().actions()[0].menu().actions() if "server" in a.text()][0].trigger()
    _wait_still_using(qtbot, window)
    assert "No OpenAI-compatible server answered" in window.notice.text()
    assert window.controller.model.engine == "llama_cpp"
    reply = _send_and_wait_for_tokens(qtbot, window)
    assert reply.completion_tokens > 0 and reply.error is None
    assert window.store.get_setting("model_path") == str(smollm)
