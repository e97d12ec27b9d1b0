"""The conversation on screen: a scrolling column of MessageViews that follows a streaming
reply while the user stays at the bottom, and leaves them alone when they scroll up."""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from app.ui.message_view import MessageView


class ChatView(QScrollArea):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("chatView")
        self.setAccessibleName("Conversation")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._column = QWidget()
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(16, 16, 16, 16)
        self._layout.setSpacing(10)
        self._layout.addStretch(1)
        self.setWidget(self._column)
        self._follow = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)

    def messages(self) -> list[MessageView]:
        return [self._layout.itemAt(i).widget() for i in range(self._layout.count() - 1)]

    def clear(self) -> None:
        for view in self.messages():
            view.setParent(None)
            view.deleteLater()
        self._follow = True

    def show_messages(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Replace the view with (role, text, status) rows."""
        self.clear()
        for role, text, status in rows:
            view = self.add_message(role, text)
            view.set_status(status)

    def add_message(self, role: str, text: str = "", *, streaming: bool = False) -> MessageView:
        view = MessageView(role, text, streaming=streaming)
        self._layout.insertWidget(self._layout.count() - 1, view)
        self._follow = True
        return view

    def _on_scrolled(self, value: int) -> None:
        self._follow = value >= self.verticalScrollBar().maximum() - 4

    def _on_range_changed(self, _min: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)
