"""Window behaviour that needs controlled replies: reasoning, hostile markup, failures, huge
replies, closing mid-reply. The model is scripted; engine, thread, store and window are real."""
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication

from app.store import open_store
from runtime.types import GenerationOptions
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine


def open_scripted(open_window, smollm, pieces, **kw):
    backend = ScriptedBackend(pieces, **kw)
    window = open_window(str(smollm), engine=scripted_engine(backend))
    window.controller.options = GenerationOptions(max_tokens=1_000_000)
    return window, backend


def send(qtbot, window, text, wait=True):
    qtbot.keyClicks(window.composer.editor, text)
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    if wait:
        qtbot.waitUntil(lambda: window.controller.reply is None, timeout=60_000)


def reply_view(window):
    return [v for v in window.chat_view.messages() if v.role == "assistant"][-1]


def test_reasoning_is_folded_under_the_answer_and_stored_apart(qtbot, open_window, smollm):
    window, _ = open_scripted(open_window, smollm, ["<think>", "Two plus two ", "is four.", "</think>", "It is **4**."])
    send(qtbot, window, "2+2?")
    view = reply_view(window)
    assert view.text == "It is **4**."
    assert view.reasoning_toggle.isVisible() and not view.reasoning_body.isVisible()
    assert "characters" in view.reasoning_toggle.text()
    view.reasoning_toggle.click()
    assert view.reasoning_body.isVisible() and view.reasoning_body.text() == "Two plus two is four."
    stored = window.store.messages(window.controller.conversation_id)[-1]
    assert stored.content == "It is **4**." and stored.reasoning == "Two plus two is four."


def test_html_and_script_in_a_reply_are_shown_as_text(qtbot, open_window, smollm):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">click</a>'
    window, _ = open_scripted(open_window, smollm, [hostile])
    send(qtbot, window, "show me html")
    body = reply_view(window).body
    plain = body.toPlainText()
    assert '<script>alert("x")</script>' in plain and "<img src=x" in plain
    assert "<script" not in body.toHtml().replace("&lt;script", "")


def test_code_block_copy_link_and_web_links_only(qtbot, open_window, smollm, monkeypatch):
    reply = "Try this:\n\n```python\nprint('hi')\n```\n\nSee [docs](https://example.org) or [x](file:///etc/passwd)."
    window, _ = open_scripted(open_window, smollm, [reply])
    send(qtbot, window, "code please")
    view = reply_view(window)
    opened = []
    monkeypatch.setattr("app.ui.message_view.QDesktopServices.openUrl", lambda url: opened.append(url.toString()))
    view.body.anchorClicked.emit(QUrl("copy-code:0"))
    assert QApplication.clipboard().text() == "print('hi')"
    view.body.anchorClicked.emit(QUrl("file:///etc/passwd"))
    view.body.anchorClicked.emit(QUrl("https://example.org"))
    assert opened == ["https://example.org"]


def test_a_model_that_fails_mid_reply_keeps_the_partial_text(qtbot, open_window, smollm):
    window, _ = open_scripted(open_window, smollm, ["Partial ", "answer ", "never"], fail_after=2)
    send(qtbot, window, "go")
    view = reply_view(window)
    assert view.text == "Partial answer " and "GPU fell off the bus" in view.status.text()
    stored = window.store.messages(window.controller.conversation_id)[-1]
    assert stored.finish_reason == "error" and stored.content == "Partial answer "
    send(qtbot, window, "still alive?")  # the runtime thread survived
    assert len([v for v in window.chat_view.messages() if v.role == "assistant"]) == 2


def test_a_100k_character_reply_streams_and_is_kept(qtbot, open_window, smollm):
    pieces = [f"Line {i}: " + "x" * 90 + "\n\n" for i in range(1000)]
    window, _ = open_scripted(open_window, smollm, pieces)
    send(qtbot, window, "long")
    assert len(reply_view(window).text) > 100_000
    stored = window.store.messages(window.controller.conversation_id)[-1]
    assert stored.content == "".join(pieces) and stored.finish_reason == "stop"


def test_closing_the_window_mid_reply_saves_the_partial_reply(qtbot, open_window, smollm, data_home):
    window, _ = open_scripted(open_window, smollm, [f"word{i} " for i in range(2000)], delay_s=0.01)
    send(qtbot, window, "talk", wait=False)
    qtbot.waitUntil(lambda: len(reply_view(window).text) > 20, timeout=10_000)
    conversation_id = window.controller.conversation_id
    window.close()
    store = open_store(data_home / "deskseek.sqlite3")
    rows = store.messages(conversation_id)
    store.close()
    assert rows[-1].finish_reason == "cancelled" and rows[-1].content.startswith("word0 word1")
    assert rows[-1].status == "done"
