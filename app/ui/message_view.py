"""One message in the chat view: a role header and its Markdown body, sized to its content.

While a reply streams, finished blocks are inserted into the document once and only the
unfinished tail is replaced, so a long reply costs the same per update as a short one.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QTextBrowser, QVBoxLayout

from app.markdown_render import StreamingMarkdown, render_markdown

ROLE_TITLES = {"user": "You", "assistant": "DeskSeek", "system": "System"}


class _AutoHeightBrowser(QTextBrowser):
    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)  # links open only through the view's explicit handler
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def _fit(self, size) -> None:
        self.setFixedHeight(int(size.height()) + 4)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit(self.document().size())


class MessageView(QFrame):
    def __init__(self, role: str, text: str = "", *, streaming: bool = False) -> None:
        super().__init__()
        self.role = role
        self.setObjectName(f"message-{role}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.header = QLabel(ROLE_TITLES.get(role, role))
        self.header.setObjectName("messageHeader")
        self.body = _AutoHeightBrowser()
        self.body.setAccessibleName(f"{ROLE_TITLES.get(role, role)} message")
        self.status = QLabel()
        self.status.setObjectName("messageStatus")
        self.status.hide()
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        layout.addWidget(self.status)
        self._stream: StreamingMarkdown | None = None
        self._tail_start = 0
        if streaming:
            self._stream = StreamingMarkdown()
            self._stream.append(text)
            self._replace_tail("", render_markdown(text))
        else:
            self.body.setHtml(render_markdown(text))

    @property
    def text(self) -> str:
        return self._stream.text if self._stream else self.body.toPlainText()

    def append(self, delta: str) -> None:
        if self._stream is None:
            self._stream = StreamingMarkdown()
        new_stable, tail = self._stream.append(delta)
        self._replace_tail(new_stable, tail)

    def finish(self) -> None:
        """Render the whole reply once, so nothing of the streaming split remains."""
        if self._stream is not None:
            self.body.setHtml(render_markdown(self._stream.text))
            self._tail_start = 0

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _replace_tail(self, new_stable_html: str, tail_html: str) -> None:
        cursor = QTextCursor(self.body.document())
        cursor.setPosition(self._tail_start)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        if new_stable_html:
            cursor.insertHtml(new_stable_html)
            # A fresh plain block, so the tail does not inherit a code block's no-wrap format.
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail_start = cursor.position()
        if tail_html:
            cursor.insertHtml(tail_html)
