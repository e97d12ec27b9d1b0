"""A turn sent on the branch on screen adds views for its two new messages and keeps the others
(issue 14: rebuilding every message's Markdown at each turn's start stalled the window ~10 ms a
message); a regenerate or an edit, which change the branch, still show the right versions.
Real window, store and runtime thread; the model is scripted."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton

import app.ui.chat_view as chat_view
from tests.ui.test_documents import drop_files, wait_documents
from tests.ui.test_scripted_replies import open_scripted, send


def shown(window, role=None):
    return [v for v in window.chat_view.messages() if role is None or v.role == role]


def on_screen(window):
    return [(v.role, v.text, v.actions.version.text()) for v in shown(window)]


def counting_views(monkeypatch):
    """Count the MessageViews the chat view builds (the real class, counted)."""
    built = []

    class Counted(chat_view.MessageView):
        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            built.append(self)

    monkeypatch.setattr(chat_view, "MessageView", Counted)
    return built


def test_each_send_keeps_the_views_shown_and_adds_two(qtbot, open_window, smollm, monkeypatch):
    built = counting_views(monkeypatch)
    window, _ = open_scripted(open_window, smollm, ["Fine, ", "thanks."])
    send(qtbot, window, "Hello")
    first = shown(window)
    assert [v.role for v in first] == ["user", "assistant"]
    for n in range(2, 5):
        before = shown(window)
        count = len(built)
        send(qtbot, window, f"Question {n}")
        after = shown(window)
        assert after[:-2] == before and all(a is b for a, b in zip(after, before))  # the same widgets
        assert len(built) - count == 2 and after[-2:] == built[-2:]  # the question and its reply only
        assert [v.role for v in after[-2:]] == ["user", "assistant"]
    rows = [m for m in window.store.messages(window.controller.conversation_id)]
    assert [(v.message_id, v.text) for v in shown(window)] == [(m.id, m.content) for m in rows]
    # What a rebuild shows on the earlier reply: its version, no speed line (status of a stored reply).
    assert first[1].actions.version.text() == "1/1" and first[1].status.isHidden()
    assert not first[1].actions.buttons["regenerate"].isHidden()  # not left busy
    # Reopening the conversation builds it again, the same.
    texts = on_screen(window)
    window.controller.new_chat()
    window.controller.open_conversation(rows[0].conversation_id)
    assert on_screen(window) == texts


def test_regenerate_and_edit_then_send_keep_the_right_versions(qtbot, open_window, smollm):
    window, _ = open_scripted(open_window, smollm, ["Blue."])
    send(qtbot, window, "Name a color.")
    send(qtbot, window, "Another one?")
    reply = shown(window, "assistant")[-1]
    qtbot.mouseClick(reply.actions.buttons["regenerate"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.reply is None, timeout=60_000)
    assert [(r, v) for r, _, v in on_screen(window)] == [("user", "1/1"), ("assistant", "1/1"),
                                                         ("user", "1/1"), ("assistant", "2/2")]
    old_reply = reply
    assert old_reply not in shown(window)  # the branch changed: the old version's view is gone
    kept = shown(window)
    send(qtbot, window, "A third?")
    assert shown(window)[:4] == kept
    assert [v for _, _, v in on_screen(window)] == ["1/1", "1/1", "1/1", "2/2", "1/1", "1/1"]

    first_user = shown(window, "user")[0]
    qtbot.mouseClick(first_user.actions.buttons["edit"], Qt.MouseButton.LeftButton)
    first_user.findChild(QPlainTextEdit, "editBox").setPlainText("Name a fruit.")
    save = [b for b in first_user.findChildren(QPushButton) if b.text() == "Save and send"][0]
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.reply is None, timeout=60_000)
    assert on_screen(window) == [("user", "Name a fruit.", "2/2"), ("assistant", "Blue.", "1/1")]
    send(qtbot, window, "And a vegetable?")
    assert on_screen(window)[0] == ("user", "Name a fruit.", "2/2") and len(shown(window)) == 4
    qtbot.mouseClick(shown(window, "user")[0].actions.prev_button, Qt.MouseButton.LeftButton)
    assert [(r, t) for r, t, _ in on_screen(window)][:3] == [("user", "Name a color."), ("assistant", "Blue."),
                                                             ("user", "Another one?")]
    assert len(shown(window)) == 6 and shown(window)[3].actions.version.text() == "2/2"


def test_a_long_conversation_keeps_its_earlier_page_across_a_send(qtbot, open_window, smollm, monkeypatch):
    monkeypatch.setattr(chat_view, "PAGE", 4)
    window, _ = open_scripted(open_window, smollm, ["Yes."])
    for n in range(3):
        send(qtbot, window, f"Q{n}")
    cid = window.controller.conversation_id
    window.controller.new_chat()
    window.controller.open_conversation(cid)
    assert [v.text for v in shown(window)] == ["Q1", "Yes.", "Q2", "Yes."]
    send(qtbot, window, "Q3")
    assert [v.text for v in shown(window)] == ["Q1", "Yes.", "Q2", "Yes.", "Q3", "Yes."]
    assert window.chat_view.earlier_button.isVisible()
    window.chat_view.show_earlier()
    rows = window.store.messages(cid)
    assert [(v.message_id, v.text) for v in shown(window)] == [(m.id, m.content) for m in rows]
    assert not window.chat_view.earlier_button.isVisible()


def test_a_reply_stopped_before_its_last_words_were_painted_is_shown_whole(qtbot, open_window, smollm):
    """The view of a reply closed at once (another turn's start) may lack words the store has:
    it does not match its message, and the view is built again from the store."""
    window, _ = open_scripted(open_window, smollm, ["Hi"])
    send(qtbot, window, "Hello")
    reply = shown(window, "assistant")[0]
    reply.append(" (painted only)")  # the view no longer says what is stored
    send(qtbot, window, "Again")
    assert reply not in shown(window)
    assert [v.text for v in shown(window)] == ["Hello", "Hi", "Again", "Hi"]


def test_an_earlier_reply_keeps_its_sources_across_a_send(qtbot, open_window, tmp_path, smollm):
    (tmp_path / "notes.md").write_text("The vault's secret code is 7421.\n\nParking is behind the cafeteria.",
                                       encoding="utf-8")
    window, _ = open_scripted(open_window, smollm, ["It is 7421 [1]."])
    drop_files(window, tmp_path / "notes.md")
    wait_documents(qtbot, window, 1)
    send(qtbot, window, "What is the vault's secret code?", wait=False)  # its vector is made first
    qtbot.waitUntil(lambda: len(shown(window)) == 2 and window.controller.reply is None, timeout=60_000)
    first = shown(window, "assistant")[0]
    assert first.sources_line().startswith("Sources: [1] notes.md")
    send(qtbot, window, "Where is the parking?", wait=False)
    qtbot.waitUntil(lambda: len(shown(window)) == 4 and window.controller.reply is None, timeout=60_000)
    assert shown(window, "assistant")[0] is first
    # As a rebuild shows a stored reply: its passages, not which ranker chose them.
    stored = window.store.reply_sources([first.message_id])[first.message_id]
    assert first.sources_line().startswith("Sources: [1] notes.md") and "(passages by" not in first.sources_line()
    assert all(f"[{n}] {p.text[:300]}" in first.sources.toolTip() for n, p in enumerate(stored, 1))


def test_a_language_changed_during_a_reply_reaches_the_earlier_views_at_the_next_send(
        qtbot, open_window, smollm, qapp):
    """The window rebuilds the views in a new language, but not while a reply is written: the
    next turn's start does it then."""
    from app.ui.i18n import install_language

    window, backend = open_scripted(open_window, smollm, ["Hello"])
    send(qtbot, window, "hi")
    backend.delay_s = 0.05
    backend.pieces = ["Hello"] * 20
    send(qtbot, window, "again", wait=False)
    qtbot.waitUntil(lambda: window.controller.reply is not None)
    try:
        assert install_language(qapp, "zh_CN")
        qtbot.wait(50)  # LanguageChange reaches the widgets through the event loop
        assert shown(window, "assistant")[0].actions.buttons["copy"].text() == "Copy"  # not rebuilt mid-reply
        qtbot.waitUntil(lambda: window.controller.reply is None, timeout=60_000)
        backend.delay_s, backend.pieces = 0.0, ["Hello"]
        window.composer.editor.setPlainText("third")
        window.composer.send_button.click()
        qtbot.waitUntil(lambda: window.controller.reply is None, timeout=60_000)
        assert [v.actions.buttons["copy"].text() for v in shown(window)] == ["复制"] * 6
    finally:
        install_language(qapp, "en")
