"""The speed and context line above the chat belongs to the conversation it measured."""
from runtime.types import GenerationOptions
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine


def test_a_new_chat_does_not_show_the_previous_chats_figures(qtbot, open_window, smollm):
    backend = ScriptedBackend([f"w{i} " for i in range(400)], delay_s=0.005)
    window = open_window(str(smollm), engine=scripted_engine(backend))
    window.controller.options = GenerationOptions(max_tokens=3)
    window.composer.editor.setPlainText("first chat")
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None)
    assert "tok/s" in window.model_panel.stats.text() and window.model_panel.context_meter.isVisible()
    window.controller.options = GenerationOptions(max_tokens=400)
    window.new_chat()
    window.composer.editor.setPlainText("second chat")
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is not None and len(window.controller.reply.text) > 20)
    assert window.model_panel.stats.text() == "" and not window.model_panel.context_meter.isVisible()
    window.controller.stop()
    qtbot.waitUntil(lambda: window.controller.reply is None)
    assert "tok/s" in window.model_panel.stats.text()  # its own figures, once it is done


def test_opening_another_conversation_clears_the_figures(qtbot, open_window, smollm):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["a ", "b"])))
    other = window.store.create_conversation(title="older")
    window.store.add_message(other.id, "user", "an old question")
    window.composer.editor.setPlainText("hello")
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None)
    assert window.model_panel.stats.text()
    window.controller.open_conversation(other.id)
    assert window.model_panel.stats.text() == ""
