"""The conversation on screen: a scrolling column of MessageViews that follows a streaming
reply while the user stays at the bottom, and leaves them alone when they scroll up.

Long conversations open fast: only the last PAGE messages get widgets; "Show earlier
messages" adds the previous page, so nothing re-renders the whole history.

The views are kept in a list of our own, never read back with QLayout.itemAt(): PySide6 6.11
keeps the wrapper of every item itemAt() returns alive as a child of the layout, and Qt deletes
that item when its message leaves the view; the stale wrapper then stands for whatever object
is next allocated at its address, and the process segfaults in libshiboken6 (issue 11;
tests/ui/test_ime_stress.py).
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.store import Message
from app.ui.message_view import MessageView

PAGE = 40
def status_of(message: Message) -> str:
    """The line under a stored message, in the window's language."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("ChatView", text)

    if message.status == "interrupted":
        return tr("Interrupted: DeskSeek stopped while this reply was being written.")
    if message.status == "streaming":
        return tr("Still being written in another window.")
    if message.finish_reason == "cancelled":
        return tr("Stopped.")
    if message.finish_reason == "error":
        return tr("Failed: %1").replace("%1", message.error or "")
    if message.finish_reason == "length":
        return tr("Cut at the length limit.")
    return ""


class ChatView(QScrollArea):
    action = Signal(str, str)  # kind, message id (from any message's actions)
    edit_submitted = Signal(str, str)  # message id, new text

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("chatView")
        self.setAccessibleName("Conversation")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._column = QWidget()
        self._column.setObjectName("chatColumn")
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(16, 16, 16, 16)
        self._layout.setSpacing(10)
        self.earlier_button = QPushButton(self.tr("Show earlier messages"))
        self.earlier_button.setObjectName("earlierButton")
        self.earlier_button.clicked.connect(self.show_earlier)
        self.earlier_button.hide()
        self._layout.addWidget(self.earlier_button)
        self._layout.addStretch(1)
        self.setWidget(self._column)
        self._views: list[MessageView] = []  # in layout order, between the button and the stretch
        self._hidden: list[Message] = []
        self._positions: dict[str, tuple[int, int]] = {}
        self._sources: dict[str, list] = {}
        self._follow = True
        self._language_changed = False  # since the last rebuild: the views' buttons are in the old one
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)

    def messages(self) -> list[MessageView]:
        return list(self._views)

    def clear(self) -> None:
        for view in self._views:
            view.setParent(None)
            view.deleteLater()
        self._views = []
        self._hidden = []
        self.earlier_button.hide()
        self._follow = True

    def show_messages(self, rows: Sequence[Message], positions: dict[str, tuple[int, int]],
                      sources: dict[str, list] | None = None, *, keep_shown: bool = False) -> None:
        """Show the branch's messages (only the last PAGE get widgets now).
        Edit boxes left open stay open with their text, on messages that are still shown.
        `sources`: reply id -> the document passages it was given.

        keep_shown (a turn's start): when what is shown is the start of `rows` with the same
        texts, only the new messages get views: rebuilding each Markdown render cost ~10 ms a
        message at each turn's start (issue 14). Otherwise, and without it, all is rebuilt (a
        language change needs the rebuild: the message buttons are made in the language)."""
        rows = [m for m in rows if m.role != "system"]
        if keep_shown and not self._language_changed and self._extends(rows):
            self._append_rows(rows, positions, sources or {})
            return
        self.setUpdatesEnabled(False)
        drafts = {v.message_id: v.pending_edit for v in self.messages() if v.pending_edit is not None}
        self.clear()
        self._positions = positions
        self._sources = sources or {}
        self._hidden = list(rows[:-PAGE]) if len(rows) > PAGE else []
        for message in rows[len(self._hidden):]:
            view = self._view_for(message)
            self._insert(view)
            if message.id in drafts:
                view.start_edit(drafts[message.id])
        self.earlier_button.setVisible(bool(self._hidden))
        self._language_changed = False
        self.setUpdatesEnabled(True)

    def _extends(self, rows: Sequence[Message]) -> bool:
        """True when the hidden messages and the views are, in order, the first of `rows`, each
        view with its message's text and reasoning (a reply stopped before its last words were
        painted, or a message changed elsewhere, does not match and is rebuilt)."""
        shown = len(self._hidden) + len(self._views)
        if not self._views or len(rows) < shown:
            return False
        if any(h.id != m.id for h, m in zip(self._hidden, rows)):
            return False
        kept = rows[len(self._hidden):shown]
        return all(v.message_id == m.id and v.role == m.role and v.text == m.content
                   and v.reasoning == (m.reasoning or "") for v, m in zip(self._views, kept))

    def _append_rows(self, rows: Sequence[Message], positions: dict[str, tuple[int, int]],
                     sources: dict[str, list]) -> None:
        """Keep the views shown, brought to what a rebuild would show (version ‹ n/m ›, status
        line, stored sources: cheap, no Markdown render), and add views for the rows after them."""
        self._positions = positions
        self._sources = sources
        shown = len(self._hidden) + len(self._views)
        self._hidden = list(rows[:len(self._hidden)])  # the stored messages, for "Show earlier"
        for view, message in zip(self._views, rows[len(self._hidden):shown]):
            view.set_meta(message.id, positions.get(message.id, (1, 1)), message.finish_reason)
            view.set_status(status_of(message))
            view.set_sources(sources.get(message.id, []))
        for message in rows[shown:]:
            self._insert(self._view_for(message))
        self._follow = True

    def show_earlier(self) -> None:
        page, self._hidden = self._hidden[-PAGE:], self._hidden[:-PAGE]
        self._follow = False
        for offset, message in enumerate(page):
            view = self._view_for(message)
            self._views.insert(offset, view)
            self._layout.insertWidget(1 + offset, view)
        self.earlier_button.setVisible(bool(self._hidden))

    def add_message(self, role: str, text: str = "", *, message_id: str = "",
                    streaming: bool = False) -> MessageView:
        view = MessageView(role, text, message_id=message_id, streaming=streaming)
        self._connect(view)
        self._insert(view)
        self._follow = True
        return view

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.earlier_button.setText(self.tr("Show earlier messages"))
            self._language_changed = True  # the window rebuilds the views, or the next turn does
        super().changeEvent(event)

    def scroll_to(self, message_id: str) -> None:
        """Bring a message into view (showing earlier pages until it is there)."""
        while not any(v.message_id == message_id for v in self.messages()) and self._hidden:
            if not any(m.id == message_id for m in self._hidden):
                return
            self.show_earlier()
        for view in self.messages():
            if view.message_id == message_id:
                self._follow = False
                self._column.layout().activate()
                self.ensureWidgetVisible(view, 0, 0)
                view.setProperty("found", True)
                return

    def set_busy(self, busy: bool) -> None:
        for view in self.messages():
            view.actions.set_busy(busy)

    def _view_for(self, message: Message) -> MessageView:
        view = MessageView(message.role, message.content, message_id=message.id, reasoning=message.reasoning,
                           sources=self._sources.get(message.id, []))
        view.set_meta(message.id, self._positions.get(message.id, (1, 1)), message.finish_reason)
        view.set_status(status_of(message))
        self._connect(view)
        return view

    def _connect(self, view: MessageView) -> None:
        view.action.connect(self.action)
        view.edit_submitted.connect(self.edit_submitted)

    def _insert(self, view: MessageView) -> None:
        self._views.append(view)
        self._layout.insertWidget(self._layout.count() - 1, view)

    def _on_scrolled(self, value: int) -> None:
        self._follow = value >= self.verticalScrollBar().maximum() - 4

    def _on_range_changed(self, _min: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)
