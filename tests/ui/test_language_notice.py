"""Chinese sent to the English-only default model gets a word, once per conversation; the
message is sent all the same."""
from runtime.types import GenerationOptions
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine


def send(qtbot, window, text):
    window.composer.editor.setPlainText(text)
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None)


def test_chinese_to_an_english_only_model_is_sent_with_a_notice(qtbot, open_window, smollm):
    backend = ScriptedBackend(["ok"])
    window = open_window(str(smollm), engine=scripted_engine(backend))
    window.controller.options = GenerationOptions(max_tokens=4)
    assert "English only" in window.model_status.text()
    send(qtbot, window, "Hello there")
    assert not window.notice.isVisible()
    send(qtbot, window, "你好，请介绍一下你自己")
    assert backend.prompts[-1][-1].content == "你好，请介绍一下你自己"  # sent all the same
    assert window.notice.isVisible()
    text = window.notice.text()
    assert "English only" in text and "SmolLM2" in text and "File > Open model" in text
    window.notice.dismiss()
    send(qtbot, window, "再说一遍")  # said once per conversation
    assert not window.notice.isVisible()
    window.new_chat()
    send(qtbot, window, "日本語はどうですか")
    assert window.notice.isVisible()
    window.new_chat()  # it was about that conversation
    assert not window.notice.isVisible()


def test_a_model_not_known_to_be_english_only_gets_no_notice(qtbot, open_window, smollm, tmp_path):
    copy = tmp_path / "bilingual.gguf"
    copy.write_bytes(smollm.read_bytes())  # not the embedded model's file: its languages are unknown
    window = open_window(str(copy), engine=scripted_engine(ScriptedBackend(["ok"])))
    send(qtbot, window, "你好")
    assert not window.notice.isVisible()
