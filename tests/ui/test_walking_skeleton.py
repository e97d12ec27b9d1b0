"""The real window, the real embedded SmolLM2 model, real SQLite files."""
import time

from PySide6.QtCore import QTimer, Qt

from app.store import open_store


def send(qtbot, window, text: str) -> None:
    qtbot.keyClicks(window.composer.editor, text)
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)


def assistant_views(window):
    return [v for v in window.chat_view.messages() if v.role == "assistant"]


def test_stream_stop_persist_and_reopen(qtbot, open_window, data_home, smollm):
    window = open_window()
    assert "English only" in window.model_status.text()
    window.controller.options = window.controller.options.__class__(max_tokens=400, temperature=0.8, seed=7)

    ticks = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start(10)

    send(qtbot, window, "Write a long story about a dragon who learns to bake bread.")
    assert window.composer.editor.toPlainText() == ""
    qtbot.waitUntil(lambda: len(assistant_views(window)) == 1, timeout=5000)
    reply = assistant_views(window)[0]
    qtbot.waitUntil(lambda: len(reply.text) > 40, timeout=30_000)
    streamed_before_stop = reply.text

    # The GUI thread kept running while tokens streamed: no gap of a second or more.
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert gaps and max(gaps) < 1.0

    assert window.composer.stop_button.isVisible()
    stopped_at = time.monotonic()
    qtbot.mouseClick(window.composer.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.reply is None, timeout=5000)
    assert time.monotonic() - stopped_at < 0.5
    ticker.stop()
    assert window.composer.send_button.isVisible()
    assert reply.text.startswith(streamed_before_stop)
    assert "Stopped" in reply.status.text()

    # Both messages are in the SQLite file, the partial reply marked as cancelled.
    conversation_id = window.controller.conversation_id
    with_store = open_store(data_home / "deskseek.sqlite3")
    rows = with_store.messages(conversation_id)
    with_store.close()
    assert [m.role for m in rows] == ["user", "assistant"]
    assert rows[0].content.startswith("Write a long story about a dragon")
    assert rows[1].finish_reason == "cancelled" and rows[1].content == reply.text
    assert rows[1].content.strip()

    # A second window over the same data directory shows the conversation again.
    second = open_window(wait_ready=False)
    model = second.sidebar.model
    rows_with_ids = [model.index(r, 0) for r in range(model.rowCount())]
    listed = [i for i in rows_with_ids if i.data(model.IdRole) == conversation_id]
    assert len(listed) == 1
    second.sidebar.open_index(listed[0])
    shown = [(v.role, v.text) for v in second.chat_view.messages()]
    assert shown[0] == ("user", rows[0].content)
    assert shown[1][0] == "assistant" and shown[1][1].strip() == rows[1].content.strip()


def test_reply_finishes_and_is_kept(qtbot, open_window, data_home, smollm):
    window = open_window()
    window.controller.options = window.controller.options.__class__(max_tokens=24, temperature=0.0)
    send(qtbot, window, "What is the capital of France?")
    qtbot.waitUntil(lambda: window.controller.reply is None and bool(assistant_views(window)), timeout=60_000)
    reply = assistant_views(window)[0]
    assert "Paris" in reply.text
    assert "tok/s" in reply.status.text()
    rows = window.store.messages(window.controller.conversation_id)
    assert rows[-1].finish_reason in ("stop", "length")
    assert rows[-1].completion_tokens > 0 and "Paris" in rows[-1].content
    assert window.store.get_setting("model_path") == str(smollm)


def commit_text(window, text: str) -> None:
    """Type through an input method, as a Chinese IME does (keyClicks cannot send non-ASCII)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(window.composer.editor, event)


def test_chinese_message_is_sent_shown_and_stored(qtbot, open_window, smollm):
    window = open_window()
    window.controller.options = window.controller.options.__class__(max_tokens=8, temperature=0.0)
    commit_text(window, "你好，请介绍一下你自己。")
    assert window.composer.editor.toPlainText() == "你好，请介绍一下你自己。"
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.reply is None and bool(assistant_views(window)), timeout=60_000)
    user_view = window.chat_view.messages()[0]
    assert user_view.text == "你好，请介绍一下你自己。"
    rows = window.store.messages(window.controller.conversation_id)
    assert rows[0].content == "你好，请介绍一下你自己。"
    model = window.sidebar.model
    titles = [model.index(r, 0).data() for r in range(model.rowCount())
              if model.index(r, 0).data(model.IdRole) == window.controller.conversation_id]
    assert titles and titles[0].startswith("你好")
