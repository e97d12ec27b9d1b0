"""One message in the chat view: its actions row, its Markdown body sized to its content,
its reasoning folded under the answer, and a status line.

While a reply streams, finished blocks are inserted into the document once and only the
unfinished tail is replaced, so a long reply costs the same per update as a short one.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSizePolicy, QTextBrowser, QToolButton,
    QVBoxLayout, QWidget,
)

from app.markdown_render import COPY_SCHEME, SOURCE_SCHEME, StreamingMarkdown, code_blocks, render_markdown
from app.ui.message_actions import ROLE_TITLES, MessageActions
from app.ui.source_popup import SourcePopup


def _runs(passages) -> list[tuple[int, int, str, str]]:
    """(first n, last n, name, location) for each run of passages from the same page or file,
    so seven passages of one PDF read as "[1]–[3] a.pdf, p. 1 · [4] a.pdf, p. 2 …"."""
    runs: list[tuple[int, int, str, str]] = []
    for n, p in enumerate(passages, 1):
        if runs and runs[-1][2:] == (p.name, p.location):
            runs[-1] = (runs[-1][0], n, p.name, p.location)
        else:
            runs.append((n, n, p.name, p.location))
    return runs


def _link(n: int) -> str:
    return f'<a href="{SOURCE_SCHEME}:{n}">[{n}]</a>'


class _AutoHeightBrowser(QTextBrowser):
    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)  # links open only through MessageView._on_link, on click
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
    action = Signal(str, str)  # kind, message id
    edit_submitted = Signal(str, str)  # message id, new text

    def __init__(self, role: str, text: str = "", *, message_id: str = "", streaming: bool = False,
                 reasoning: str = "", sources=()) -> None:
        super().__init__()
        self.role = role
        self.message_id = message_id
        self.setObjectName(f"message-{role}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        self.actions = MessageActions(role)
        self.actions.triggered.connect(self._on_action)
        self.body = _AutoHeightBrowser()
        self.body.setAccessibleName(f"{ROLE_TITLES.get(role, role)} message")
        self.body.anchorClicked.connect(self._on_link)
        self.reasoning_toggle = QToolButton()
        self.reasoning_toggle.setObjectName("reasoningToggle")
        self.reasoning_toggle.setCheckable(True)
        self.reasoning_toggle.setAutoRaise(True)
        self.reasoning_body = QLabel()
        self.reasoning_body.setObjectName("reasoning")
        self.reasoning_body.setWordWrap(True)
        self.reasoning_body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reasoning_body.setTextFormat(Qt.TextFormat.PlainText)
        self.reasoning_toggle.toggled.connect(self._show_reasoning)
        self.sources = QLabel()
        self.sources.setObjectName("messageSources")
        self.sources.setWordWrap(True)
        self.sources.setTextFormat(Qt.TextFormat.RichText)  # each [n] a link to its passage
        self.sources.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)  # Tab, Enter
        self.sources.linkActivated.connect(lambda link: self._on_link(QUrl(link)))
        self.sources.hide()
        self._passages: list = list(sources)  # known before the first render: [n] link once
        self._sources_line = ""
        self.source_popup: SourcePopup | None = None
        self.status = QLabel()
        self.status.setObjectName("messageStatus")
        self.status.setWordWrap(True)
        for w in (self.actions, self.body, self.reasoning_toggle, self.reasoning_body, self.sources,
                  self.status):
            layout.addWidget(w)
        self._editor: QWidget | None = None
        self._stream: StreamingMarkdown | None = self._new_stream() if streaming else None
        self._code_texts: list[str] = []
        self._text = text
        self._reasoning = ""
        self._tail_start = 0
        self.set_reasoning(reasoning)
        self.set_sources(self._passages)
        self.status.hide()
        if streaming:
            self.append(text)
            self.actions.set_busy(True)
        else:
            self._set_final_html()

    # -- content -------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self._stream.text if self._stream else self._text

    @property
    def reasoning(self) -> str:
        return self._reasoning

    def append(self, delta: str) -> None:
        if self._stream is None:  # continuing a finished message: stream on from its text
            self._stream = self._new_stream()
            self.body.clear()
            self._tail_start = 0
            delta = self._text + delta
        new_stable, tail = self._stream.append(delta)
        self._replace_tail(new_stable, tail)

    def append_reasoning(self, delta: str) -> None:
        self.set_reasoning(self._reasoning + delta)

    def set_reasoning(self, text: str) -> None:
        self._reasoning = text
        self.reasoning_toggle.setVisible(bool(text))
        self.reasoning_toggle.setText(self.tr("Reasoning · %n characters", "", len(text))
                                      + (" ▾" if self.reasoning_toggle.isChecked() else " ▸"))
        if self.reasoning_toggle.isChecked():
            self.reasoning_body.setText(text)
        self.reasoning_body.setVisible(bool(text) and self.reasoning_toggle.isChecked())

    def finish(self) -> None:
        """The reply is complete: its tail is rendered as a finished block (with copy links)."""
        if self._stream is not None:
            self._replace_tail(self._stream.finish(), "", last=True)
            self._text = self._stream.text
            self._code_texts = self._stream.code_texts
            self._stream = None
        self.actions.set_busy(False)

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_sources(self, passages) -> None:
        """The document passages this reply was given, as it cites them: [1] name, p. 3 · …;
        each [n] there and in the reply links to its passage; hovering shows their text. For the
        reply being sent now, also what chose them (the `ranker` of app.store.Quoted: "passages by
        words + meaning" ...); stored replies say only what."""
        known = len(self._passages)
        self._passages = list(passages)
        cited = [f"[{a}]" + (f"–[{b}]" if b > a else "") + f" {name}" + (f", {where}" if where else "")
                 for a, b, name, where in _runs(passages)]
        linked = [_link(a) + (f"–{_link(b)}" if b > a else "")
                  + html.escape(f" {name}" + (f", {where}" if where else ""))
                  for a, b, name, where in _runs(passages)]
        ranker = self._ranker_words().get(getattr(passages, "ranker", ""), "")
        by = f" ({ranker})" if ranker else ""
        sentence = self.tr("Sources: %1")
        self._sources_line = sentence.replace("%1", " · ".join(cited)) + by if cited else ""
        self.sources.setText(html.escape(sentence).replace("%1", " · ".join(linked)) + html.escape(by) if cited else "")
        self.sources.setToolTip("\n\n".join(f"[{n}] {p.text[:400]}" for n, p in enumerate(passages, 1)))
        self.sources.setVisible(bool(cited))
        if self._stream is not None:
            self._stream.sources = len(self._passages)  # the blocks still to come link their [n]
        elif len(self._passages) != known and self.role == "assistant":
            self._set_final_html()

    def sources_line(self) -> str:
        """The "Sources: …" line as plain text."""
        return self._sources_line

    def show_source(self, n: int) -> None:
        """The passage this reply was given as [n], in a popup beside the chat."""
        if not 1 <= n <= len(self._passages):
            return
        # One popup per window, whichever reply's [n] was clicked last (a re-rendered chat
        # replaces its message views; the popup stays).
        window = self.window()
        popup = window.findChild(SourcePopup, "sourcePopup", Qt.FindChildOption.FindDirectChildrenOnly)
        self.source_popup = popup or SourcePopup(window)
        self.source_popup.set_passages(self._passages)
        self.source_popup.show_source(n)

    def _ranker_words(self) -> dict[str, str]:
        return {"whole": self.tr("documents given whole"), "words": self.tr("passages by words"),
                "words+meaning": self.tr("passages by words + meaning"),
                "meaning": self.tr("passages by meaning"), "start": self.tr("the documents' beginning")}

    def set_meta(self, message_id: str, position: tuple[int, int], finish_reason: str) -> None:
        self.message_id = message_id
        self.actions.set_position(*position)
        self.actions.set_can_continue(finish_reason == "length")

    # -- actions -------------------------------------------------------------------
    def _on_action(self, kind: str) -> None:
        if kind == "copy":
            QGuiApplication.clipboard().setText(self.text)
            self.actions.show_copied()
        elif kind == "edit":
            self.start_edit()
        else:
            self.action.emit(kind, self.message_id)

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == COPY_SCHEME:
            blocks = self._code_texts
            index = int(url.path() or -1)
            if 0 <= index < len(blocks):
                QGuiApplication.clipboard().setText(blocks[index])
                self.actions.show_copied()
        elif url.scheme() == SOURCE_SCHEME and url.path().isdigit():
            self.show_source(int(url.path()))
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)  # only web links, and only on a click

    @property
    def pending_edit(self) -> str | None:
        """The text in this message's open edit box, if one is open."""
        if self._editor is None:
            return None
        return self._editor.findChild(QPlainTextEdit, "editBox").toPlainText()

    def start_edit(self, text: str | None = None) -> None:
        if self._editor is not None:
            return
        self._editor = QWidget()
        box = QVBoxLayout(self._editor)
        box.setContentsMargins(0, 0, 0, 0)
        editor = QPlainTextEdit(self.text if text is None else text)
        editor.setObjectName("editBox")
        editor.setAccessibleName(self.tr("Edit message"))
        row = QHBoxLayout()
        save = QPushButton(self.tr("Save and send"))
        cancel = QPushButton(self.tr("Cancel"))
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(save)
        box.addWidget(editor)
        box.addLayout(row)
        self.layout().insertWidget(2, self._editor)
        self.body.hide()
        save.clicked.connect(lambda: self._submit_edit(editor.toPlainText().strip()))
        cancel.clicked.connect(self._close_edit)
        editor.setFocus()

    def _submit_edit(self, text: str) -> None:
        """Ask for the new version; the box stays open (text kept) until a reply really starts,
        which rebuilds the conversation's views."""
        if not text or text == self.text:
            self._close_edit()
            return
        self.edit_submitted.emit(self.message_id, text)

    def _close_edit(self) -> None:
        if self._editor is None:
            return
        self._editor.setParent(None)
        self._editor.deleteLater()
        self._editor = None
        self.body.show()

    # -- rendering -----------------------------------------------------------------
    def _show_reasoning(self, _checked: bool) -> None:
        self.set_reasoning(self._reasoning)

    def _new_stream(self) -> StreamingMarkdown:
        return StreamingMarkdown(copy_links=self.role == "assistant", copy_label=self.tr("Copy code"),
                                 sources=len(self._passages))

    def _set_final_html(self) -> None:
        rendered = render_markdown(self._text, copy_links=self.role == "assistant", copy_label=self.tr("Copy code"),
                                   sources=len(self._passages))
        self._code_texts = code_blocks(rendered)
        self.body.setHtml(rendered)
        self._tail_start = 0

    def _replace_tail(self, new_stable_html: str, tail_html: str, *, last: bool = False) -> None:
        cursor = QTextCursor(self.body.document())
        cursor.setPosition(self._tail_start)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        # The old tail's last block (a code block, say) leaves its format on the block that
        # remains; the tail starts on a plain block, so the prose inserted next is not drawn as code.
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.setBlockCharFormat(QTextCharFormat())
        if new_stable_html:
            cursor.insertHtml(new_stable_html)
            if not last:
                # A fresh plain block, so the tail does not inherit a code block's no-wrap format.
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail_start = cursor.position()
        if tail_html:
            cursor.insertHtml(tail_html)
