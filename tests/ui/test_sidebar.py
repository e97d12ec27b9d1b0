"""The sidebar driven like a user would: real widgets, a real SQLite file per test."""
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QTimer, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QMessageBox

from app.store import open_store
from app.ui.conversation_list import ConversationList, ConversationListModel

M = ConversationListModel


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "h.sqlite3") as s:
        yield s


def make(store, title: str, text: str = "", days_ago: int = 0):
    c = store.create_conversation(title=title)
    if text:
        store.add_message(c.id, "user", text)
    if days_ago:  # age it straight in the file, as time passing would
        when = (datetime.now(timezone.utc) - timedelta(days=days_ago)).isoformat(timespec="microseconds")
        with sqlite3.connect(store.path) as db:
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", [when, c.id])
    return c.id


@pytest.fixture
def sidebar(qtbot, store):
    widget = ConversationList(store)
    qtbot.addWidget(widget)
    widget.resize(280, 520)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def texts(sidebar):
    return [sidebar.model.index(i).data() for i in range(sidebar.model.rowCount())]


def current_id(sidebar):
    return sidebar.view.currentIndex().data(M.IdRole)


def test_groups_from_the_store_pinned_first(sidebar, store):
    make(store, "Old one", days_ago=20)
    make(store, "Last week", days_ago=4)
    pin = make(store, "Pinned one", days_ago=30)
    make(store, "Fresh")
    store.set_pinned(pin, True)
    sidebar.refresh()
    assert texts(sidebar)[:2] == ["Pinned", "Pinned one"]
    assert texts(sidebar)[2:] == ["Today", "Fresh", "Previous 7 days", "Last week", "Older", "Old one"]


def test_set_conversations_without_a_store_still_lists_and_selects(qtbot, store):
    a, b = make(store, "A"), make(store, "B")
    widget = ConversationList()
    qtbot.addWidget(widget)
    widget.set_conversations(store.list_conversations(), a)
    assert texts(widget) == ["Today", "B", "A"]
    assert current_id(widget) == a


def test_up_down_skip_headers_and_only_enter_or_click_opens(qtbot, sidebar, store):
    old = make(store, "Older chat", days_ago=10)
    new = make(store, "New chat here")
    sidebar.refresh()
    chosen = []
    sidebar.conversation_chosen.connect(chosen.append)
    sidebar.view.setFocus()
    sidebar.view.setCurrentIndex(sidebar.model.index(sidebar.model.row_of(new)))
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Down)  # over the "Older" header
    assert current_id(sidebar) == old and chosen == []
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Up)
    assert current_id(sidebar) == new and chosen == []
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Up)  # the "Today" header above cannot take it
    assert current_id(sidebar) == new
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Return)
    assert chosen == [new]
    rect = sidebar.view.visualRect(sidebar.model.index(sidebar.model.row_of(old)))
    qtbot.mouseClick(sidebar.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen == [new, old]


def commit(widget, text):
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_search_shows_title_and_snippet_in_chinese_and_opens_the_hit(qtbot, sidebar, store):
    make(store, "Bread", "How do I bake sourdough bread at home?")
    tea = make(store, "茶", "请介绍一下中国的绿茶和红茶有什么区别。")
    sidebar.refresh()
    opened, hits = [], []
    sidebar.conversation_chosen.connect(opened.append)
    sidebar.hit_chosen.connect(lambda cid, mid: hits.append(cid))
    sidebar.focus_search()
    commit(sidebar.search, "绿茶")
    qtbot.waitUntil(lambda: sidebar.model.index(0).data(M.KindRole) == "hit", timeout=3000)
    assert sidebar.model.rowCount() == 1
    first = sidebar.model.index(0)
    assert first.data() == "茶" and "绿茶" in first.data(M.SnippetRole)
    qtbot.keyClick(sidebar.search, Qt.Key.Key_Down)
    assert sidebar.view.hasFocus() and current_id(sidebar) == tea
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Return)
    assert opened == [tea] and hits == [tea]


def test_search_with_no_match_says_so_and_escape_brings_the_list_back(qtbot, sidebar, store):
    make(store, "Bread", "sourdough")
    sidebar.refresh()
    sidebar.focus_search()
    qtbot.keyClicks(sidebar.search, "zebra")
    qtbot.waitUntil(lambda: texts(sidebar) == ["No matches"], timeout=3000)
    assert not sidebar.model.index(0).flags() & Qt.ItemFlag.ItemIsSelectable
    qtbot.keyClick(sidebar.search, Qt.Key.Key_Escape)
    assert texts(sidebar) == ["Today", "Bread"]


def menu_action(qtbot, sidebar, conversation_id, name):
    row = sidebar.model.row_of(conversation_id) if conversation_id else sidebar.model.rowCount() + 5
    pos = sidebar.view.visualRect(sidebar.model.index(row)).center() if conversation_id else \
        sidebar.view.viewport().rect().bottomLeft()
    sidebar.view.customContextMenuRequested.emit(pos)
    menu = sidebar.findChildren(QMenu, "conversationMenu")[-1]
    action = next(a for a in menu.actions() if a.objectName() == f"{name}Action")
    action.trigger()
    menu.close()


def test_pin_archive_and_show_archived_from_the_context_menu(qtbot, sidebar, store):
    a = make(store, "Alpha")
    make(store, "Beta")
    sidebar.refresh()
    menu_action(qtbot, sidebar, a, "pin")
    assert store.get_conversation(a).pinned and texts(sidebar)[:2] == ["Pinned", "Alpha"]
    menu_action(qtbot, sidebar, a, "archive")
    assert store.get_conversation(a).archived and "Alpha" not in texts(sidebar)
    menu_action(qtbot, sidebar, None, "show_archived")
    assert texts(sidebar)[-2:] == ["Archived", "Alpha"]
    menu_action(qtbot, sidebar, a, "archive")  # now "Unarchive"
    assert not store.get_conversation(a).archived


def answer_next_dialog(button):
    def click():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "confirmDelete"
        box.button(button).click()
    QTimer.singleShot(0, click)


def test_delete_asks_then_offers_undo(qtbot, sidebar, store):
    keep, doomed = make(store, "Keep"), make(store, "Doomed")
    sidebar.refresh()
    deleted, restored = [], []
    sidebar.conversation_deleted.connect(deleted.append)
    sidebar.conversation_restored.connect(restored.append)
    sidebar.view.setFocus()
    sidebar.view.setCurrentIndex(sidebar.model.index(sidebar.model.row_of(doomed)))

    answer_next_dialog(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Delete)
    assert store.get_conversation(doomed).deleted is None and deleted == []

    answer_next_dialog(QMessageBox.StandardButton.Yes)
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Delete)
    assert store.get_conversation(doomed).deleted is not None
    assert deleted == [doomed] and texts(sidebar) == ["Today", "Keep"]
    assert sidebar.undo_bar.isVisible() and "Doomed" in sidebar.undo_bar.label.text()

    qtbot.mouseClick(sidebar.undo_bar.button, Qt.MouseButton.LeftButton)
    assert store.get_conversation(doomed).deleted is None and restored == [doomed]
    assert sorted(texts(sidebar)[1:]) == ["Doomed", "Keep"] and not sidebar.undo_bar.isVisible()
    assert store.get_conversation(keep).deleted is None


def test_f2_renames_in_place(qtbot, sidebar, store):
    cid = make(store, "Untidy title")
    sidebar.refresh()
    sidebar.view.setFocus()
    sidebar.view.setCurrentIndex(sidebar.model.index(sidebar.model.row_of(cid)))
    qtbot.keyClick(sidebar.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Untidy title"
    editor.selectAll()
    commit(editor, "整理好的标题")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.get_conversation(cid).title == "整理好的标题", timeout=2000)
    assert "整理好的标题" in texts(sidebar)


def test_focus_search_and_accessible_names(qtbot, sidebar):
    sidebar.activateWindow()
    sidebar.search.setText("abc")
    sidebar.focus_search()
    assert sidebar.search.hasFocus() and sidebar.search.selectedText() == "abc"
    names = {sidebar.search.accessibleName(), sidebar.view.accessibleName(),
             sidebar.new_button.accessibleName(), sidebar.undo_bar.button.accessibleName()}
    assert names == {"Search conversations", "Conversations", "New chat", "Undo delete"}


def test_new_chat_button_asks_for_a_new_chat(qtbot, sidebar):
    with qtbot.waitSignal(sidebar.new_chat_requested, timeout=1000):
        qtbot.mouseClick(sidebar.new_button, Qt.MouseButton.LeftButton)


def test_rename_from_the_menu_of_a_search_hit_goes_back_to_the_list_and_edits(qtbot, sidebar, store):
    cid = make(store, "Bread", "sourdough starter")
    sidebar.refresh()
    sidebar.search.setText("sourdough")
    sidebar.run_search()
    assert sidebar.model.index(0).data(M.KindRole) == "hit"
    menu_action(qtbot, sidebar, cid, "rename")
    assert not sidebar.searching()
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Bread"
    editor.setText("Sourdough notes")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.get_conversation(cid).title == "Sourdough notes", timeout=2000)


def test_a_title_is_found_even_when_no_message_holds_the_words(qtbot, sidebar, store):
    cid = make(store, "周末计划", "remember the milk")
    sidebar.refresh()
    opened, hits = [], []
    sidebar.conversation_chosen.connect(opened.append)
    sidebar.hit_chosen.connect(lambda c, m: hits.append(c))
    commit(sidebar.search, "周末")
    sidebar.run_search()
    assert texts(sidebar) == ["周末计划"]
    qtbot.keyClick(sidebar.search, Qt.Key.Key_Return)
    assert opened == [cid] and hits == []  # no message to scroll to
