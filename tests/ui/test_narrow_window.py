"""A 520×420 window: message cards, their buttons and their code wrap inside the chat instead of
being cut at its right edge."""
from PySide6.QtCore import QPoint

from runtime.types import GenerationOptions
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

REPLY = ["Here is some code:\n\n```python\nprint('hello world, this is a fairly long line of code that goes on "
         "and on')\n```\n\nAnd a long sentence that should wrap nicely inside the card, however narrow it is."]


def right_edge_in(widget, ancestor) -> int:
    return widget.mapTo(ancestor, QPoint(widget.width(), 0)).x()


def test_cards_wrap_in_a_520_by_420_window(qtbot, open_window, smollm):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(REPLY)))
    window.controller.options = GenerationOptions(max_tokens=10)
    window.composer.editor.setPlainText("a question that is long enough to need wrapping in a narrow window")
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None)
    window.resize(520, 420)
    qtbot.waitUntil(lambda: window.width() == 520)
    qtbot.wait(50)  # the layouts settle
    viewport = window.chat_view.viewport()
    views = window.chat_view.messages()
    assert [v.role for v in views] == ["user", "assistant"]
    for view in views:
        assert right_edge_in(view, viewport) <= viewport.width(), view.role
        for button in view.actions.buttons.values():
            if button.isVisible():
                assert right_edge_in(button, view) <= view.width(), button.text()
        body = view.body
        assert body.document().idealWidth() <= body.viewport().width() + 1  # the code line wrapped
    assert window.model_panel.stats.width() <= window.model_panel.width()


def test_a_wide_window_keeps_the_actions_beside_the_title(qtbot, open_window, smollm):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(REPLY)))
    window.composer.editor.setPlainText("hi")
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None)
    window.resize(1100, 720)
    qtbot.wait(50)
    actions = window.chat_view.messages()[1].actions
    assert actions.tools.y() == actions.head.y()
