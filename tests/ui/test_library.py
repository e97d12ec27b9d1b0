"""The document library and answers that point, in the real window: a document read once is
attached to another conversation without being read again, listed in File > Document library…
with the conversations using it, removed from one or from all, found by the sidebar's search by
its content; a reply's [1] (and its "Sources:" line) opens the passage with its page, while it
streams and after the conversation is opened again, by mouse and by keyboard."""
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox

from app.store import open_store
from tests.documents.test_extract import encrypt_pdf, make_pdf
from tests.ui.test_documents import drop_files, wait_documents
from tests.ui.test_pdf_password import answer_dialogs

PASSWORD = "plum-7-Orchard"
PAGES = ["Alice earns 4100 a month and parks in bay nine.", "Bob earns 3900 and works on the night shift."]


def locked_pdf(tmp_path):
    path = tmp_path / "salaries.pdf"
    path.write_bytes(encrypt_pdf(make_pdf(PAGES), PASSWORD, PASSWORD))
    return path


def menu_action(window, text):
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.text().replace("&", "") == text:
                return action
    raise AssertionError(f"no menu item {text!r}")


def fts_rows(store) -> int:
    return store._db.execute("SELECT count(*) FROM passages_fts_docsize").fetchone()[0]


def answer_next_box(button):
    def click():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "confirmLibraryRemoval", box
        answer_next_box.text = box.text()
        box.button(button).click()
    QTimer.singleShot(0, click)


def test_a_document_read_once_serves_two_conversations_and_the_library_manages_it(
        qtbot, open_window, tmp_path, smollm, monkeypatch):
    pdf = locked_pdf(tmp_path)
    asked = answer_dialogs(monkeypatch, [(PASSWORD, True)])
    window = open_window()
    drop_files(window, pdf)
    wait_documents(qtbot, window, 1)
    first = window.controller.conversation_id
    assert len(asked) == 1

    # A second conversation: the same file is not read again, so no password is asked (it could
    # not be read without one) and its two pages are there.
    window.new_chat()
    drop_files(window, pdf)
    wait_documents(qtbot, window, 1)
    second = window.controller.conversation_id
    assert second != first and len(asked) == 1 and "password" not in window.notice.text()
    [doc] = window.store.documents(second)
    assert (doc.name, doc.pages, doc.passages) == ("salaries.pdf", 2, 2)
    window.store.rename_conversation(first, "Payroll")
    window.store.rename_conversation(second, "Night shift")

    # File > Document library… lists it once, with both conversations under it.
    menu_action(window, "Document library…").trigger()
    library = window.documents.library
    qtbot.waitUntil(library.isVisible)
    tree = library.tree
    assert tree.topLevelItemCount() == 1
    row = tree.topLevelItem(0)
    assert row.text(0) == "salaries.pdf" and row.text(2) == "2 pages · 2 passages"
    assert row.text(4) == "2 conversations" and row.text(1).endswith("B")
    assert {row.child(i).text(0) for i in range(row.childCount())} == {"Payroll", "Night shift"}
    assert not library.attach_button.isEnabled()  # already in the open conversation

    # A third conversation gets it from the library.
    window.new_chat()
    assert window.controller.conversation_id is None
    library.refresh(window.controller.conversation_id)
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.mouseClick(library.attach_button, Qt.MouseButton.LeftButton)
    third = window.controller.conversation_id
    assert third not in (None, first, second)
    wait_documents(qtbot, window, 1)  # copied on the reading thread
    assert [d.name for d in window.documents.strip.documents()] == ["salaries.pdf"]
    assert "read once" in library.message.text() and len(asked) == 1
    assert tree.topLevelItem(0).text(4) == "3 conversations"
    assert not library.attach_button.isEnabled()

    # Opening a conversation from its row (keyboard: Enter).
    row = tree.topLevelItem(0)
    payroll = next(row.child(i) for i in range(row.childCount()) if row.child(i).text(0) == "Payroll")
    tree.setCurrentItem(payroll)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.controller.conversation_id == first
    assert window.sidebar.view.currentIndex().data(Qt.ItemDataRole.DisplayRole) == "Payroll"  # selected there too

    # Removing it from one conversation keeps it for the others.
    tree.setCurrentItem(next(tree.topLevelItem(0).child(i) for i in range(3)
                             if tree.topLevelItem(0).child(i).text(0) == "Night shift"))
    qtbot.mouseClick(library.remove_here_button, Qt.MouseButton.LeftButton)  # off the GUI thread
    qtbot.waitUntil(lambda: "stays in the library" in library.message.text(), timeout=10_000)
    assert window.store.documents(second) == [] and len(window.store.documents(first)) == 1
    assert tree.topLevelItem(0).text(4) == "2 conversations"

    # Removing it from the library asks first (Cancel keeps it), then takes it from everywhere.
    tree.setCurrentItem(tree.topLevelItem(0))
    answer_next_box(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(library.remove_button, Qt.MouseButton.LeftButton)
    assert "cannot be undone" in answer_next_box.text and len(window.store.library()) == 1
    answer_next_box(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(library.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "from 2 conversations" in library.message.text(), timeout=10_000)
    assert window.store.library() == [] and fts_rows(window.store) == 0
    assert tree.topLevelItemCount() == 0
    assert window.documents.strip.documents() == []  # the open conversation's strip too


def test_the_sidebar_search_finds_a_document_by_content_in_each_conversation(qtbot, open_window, tmp_path, smollm):
    notes = tmp_path / "notes.md"
    notes.write_text("The boiler room key hangs behind the blue door.", encoding="utf-8")
    window = open_window()
    drop_files(window, notes)
    wait_documents(qtbot, window, 1)
    first = window.controller.conversation_id
    window.new_chat()
    drop_files(window, notes)
    wait_documents(qtbot, window, 1)
    second = window.controller.conversation_id
    window.store.rename_conversation(first, "Keys")
    window.store.rename_conversation(second, "Doors")

    sidebar = window.sidebar
    qtbot.keyClicks(sidebar.search, "boiler")
    sidebar.run_search()
    model = sidebar.model
    kinds = [model.index(i).data(model.KindRole) for i in range(model.rowCount())]
    titles = [model.index(i).data(Qt.ItemDataRole.DisplayRole) for i in range(model.rowCount())]
    assert titles[0] == "In documents" and kinds[0] == "header"
    hits = {model.index(i).data(Qt.ItemDataRole.DisplayRole): model.index(i) for i in range(1, model.rowCount())}
    assert set(hits) == {"Keys", "Doors"}
    keys = hits["Keys"]
    assert keys.data(model.DocumentRole) == "notes.md"
    assert keys.data(model.SnippetRole).startswith("notes.md: The boiler room key")
    assert keys.data(Qt.ItemDataRole.ToolTipRole) == "notes.md, in “Keys”"
    sidebar.view.setCurrentIndex(keys)
    sidebar.open_index(keys)
    assert window.controller.conversation_id == first


def anchor_point(browser, href: str) -> QPoint:
    """Where, in the browser's viewport, the link to `href` is drawn."""
    doc = browser.document()
    cursor = QTextCursor(doc)
    for pos in range(1, doc.characterCount()):
        cursor.setPosition(pos)
        if cursor.charFormat().anchorHref() == href:  # the character before pos is in the link
            left = QTextCursor(doc)
            left.setPosition(pos - 1)
            a, b = browser.cursorRect(left).center(), browser.cursorRect(cursor).center()
            return QPoint((a.x() + b.x()) // 2, a.y())
    raise AssertionError(f"no link to {href} in {browser.toHtml()[:2000]}")


def test_a_reply_s_citations_link_to_their_passages_while_streaming_and_after_reopening(
        qtbot, open_window, tmp_path, smollm, data_home):
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    pdf = tmp_path / "lease.pdf"
    pdf.write_bytes(make_pdf(["The tenant pays on the first.", "The garage code is 7421."]))
    pieces = ["The garage ", "code is 7421 ", "[2].", " Rent is due on the first [1, 2].\n\n",
              "Not a source: [7]; in code: `[1]`.\n\n", "```\nx = a[1]\n```\n\n"] + ["More. "] * 40
    backend = ScriptedBackend(pieces, delay_s=0.05)
    window = open_window(str(smollm), engine=scripted_engine(backend))
    drop_files(window, pdf)
    wait_documents(qtbot, window, 1)
    window.composer.editor.setPlainText("What is the garage code?")
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.controller.reply is not None and "[2]" in window.controller.reply.text,
                    timeout=10_000)
    view = window.controller.reply.view
    qtbot.waitUntil(lambda: 'href="source:2"' in view.body.toHtml(), timeout=5_000)
    assert window.controller.reply is not None  # a link already, mid-stream
    qtbot.mouseClick(view.body.viewport(), Qt.MouseButton.LeftButton, pos=anchor_point(view.body, "source:2"))
    popup = view.source_popup
    assert popup is not None and popup.isVisible()
    assert popup.heading.text() == "[2] of 2 · lease.pdf, p. 2"
    assert popup.passage.toPlainText() == "The garage code is 7421."
    qtbot.waitUntil(lambda: window.controller.reply is None, timeout=20_000)
    popup.close()

    # Opened again (another window over the same file): [n] are links where they name a source,
    # and never in code or for a number no passage has.
    cid = window.controller.conversation_id
    second = open_window(wait_ready=False)
    second.controller.open_conversation(cid)
    reply = [v for v in second.chat_view.messages() if v.role == "assistant"][0]
    qtbot.waitUntil(lambda: reply.sources.isVisible() and reply.sources.width() > 100)  # laid out, as seen
    html = reply.body.toHtml()
    assert html.count('href="source:1"') == 1 and html.count('href="source:2"') == 2
    assert "source:7" not in html and "a[1]" in reply.body.toPlainText()
    assert reply.sources_line() == "Sources: [1] lease.pdf, p. 1 · [2] lease.pdf, p. 2"

    # Keyboard: Tab reaches the first link in the reply, Enter opens it.
    reply.body.setFocus()
    qtbot.keyClick(reply.body, Qt.Key.Key_Tab)
    qtbot.keyClick(reply.body, Qt.Key.Key_Return)
    popup = reply.source_popup
    assert popup is not None and popup.isVisible()
    assert popup.heading.text() == "[2] of 2 · lease.pdf, p. 2"  # the first [n] in the text is [2]
    qtbot.mouseClick(popup.previous_button, Qt.MouseButton.LeftButton)
    assert popup.heading.text() == "[1] of 2 · lease.pdf, p. 1"
    assert popup.passage.toPlainText() == "The tenant pays on the first."
    assert not popup.previous_button.isEnabled()
    qtbot.waitUntil(popup.isActiveWindow)  # it took the keyboard: Escape closes it, not the chat's Stop
    qtbot.keyClick(popup.passage, Qt.Key.Key_Escape)
    assert not popup.isVisible()

    # The "Sources:" line's entries are links too (keyboard: Tab to the entry, Enter).
    reply.sources.setFocus()
    qtbot.keyClick(reply.sources, Qt.Key.Key_Tab)
    qtbot.keyClick(reply.sources, Qt.Key.Key_Return)
    assert popup.isVisible() and popup.heading.text().startswith("[1] of 2")

    # What the reply quoted stays, even once the document has left the library.
    with open_store(data_home / "deskseek.sqlite3") as other:
        [entry] = other.library()
        other.remove_from_library(entry.sha256)
    third = open_window(wait_ready=False)
    third.controller.open_conversation(cid)
    again = [v for v in third.chat_view.messages() if v.role == "assistant"][0]
    again.show_source(2)
    assert again.source_popup.passage.toPlainText() == "The garage code is 7421."
