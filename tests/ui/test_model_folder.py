"""A Hugging Face folder opened from the window runs on the real torch engine; a broken one is
refused with a sentence and the working model stays."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.ui.conftest import wait_model_state

pytest.importorskip("torch")
pytest.importorskip("transformers")  # builds the tiny random-weight folder


@pytest.fixture(scope="module")
def moe_folder(tmp_path_factory):
    from tests.torch_moe.tiny import make_model

    path = tmp_path_factory.mktemp("deepseek_moe")
    make_model(path, "deepseek_moe")
    return path


def open_folder_from_menu(window, monkeypatch, folder) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    file_menu = window.menuBar().actions()[0].menu()
    (action,) = [a for a in file_menu.actions() if a.text() == "Open model &folder…"]
    assert action.shortcut().toString() == "Ctrl+Shift+O"
    action.trigger()


def test_folder_loads_on_torch_and_replies(qtbot, open_window, monkeypatch, moe_folder, smollm):
    window = open_window()  # the embedded GGUF first, as a user starts
    open_folder_from_menu(window, monkeypatch, moe_folder)
    wait_model_state(qtbot, window, "loading", timeout=5000)
    wait_model_state(qtbot, window, "ready", timeout=60_000)
    assert "in torch on the CPU" in window.model_status.text()
    assert window.controller.model.path == str(moe_folder)

    window.controller.options = window.controller.options.__class__(max_tokens=12, temperature=0.0)
    window.composer.editor.setPlainText("Hello world")
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.reply is None
                    and any(v.role == "assistant" for v in window.chat_view.messages()), timeout=60_000)
    reply = [v for v in window.chat_view.messages() if v.role == "assistant"][0]
    assert "tok/s" in reply.status.text()
    rows = window.store.messages(window.controller.conversation_id)
    assert [r.role for r in rows] == ["user", "assistant"]
    assert rows[1].finish_reason == "length" and rows[1].completion_tokens == 12
    assert window.store.get_setting("model_path") == str(moe_folder)


def test_folder_with_a_missing_shard_is_refused_and_the_model_stays(
        qtbot, open_window, monkeypatch, tmp_path, moe_folder, smollm):
    import json
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(moe_folder, broken)
    index = {"metadata": {}, "weight_map": {"model.embed_tokens.weight": "model-00002-of-00002.safetensors"}}
    (broken / "model.safetensors.index.json").write_text(json.dumps(index))
    window = open_window()
    open_folder_from_menu(window, monkeypatch, broken)
    qtbot.waitUntil(lambda: window.controller.models.loading_path is None, timeout=60_000)
    text = window.notice.text()  # the refusal is a notice; the bar still describes the working model
    assert window.model_status.property("state") == "ready", window.model_status.text()
    assert "model-00002-of-00002.safetensors" in text and "still using" in text
    assert "English only" in window.model_status.text()
    assert window.controller.model.path == str(smollm)  # the working model is kept
    window.composer.editor.setPlainText("Still there?")
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.reply is None
                    and any(v.role == "assistant" for v in window.chat_view.messages()), timeout=60_000)
