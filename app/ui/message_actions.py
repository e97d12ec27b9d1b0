"""The row above a message: who wrote it, its version switcher (‹ 2/3 ›) and its actions."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QLayout, QToolButton, QWidget

COPIED_MS = 1500  # how long "Copied" stays after a copy
ROLE_TITLES = {"user": "You", "assistant": "DeskSeek", "system": "System"}


def _button(text: str, name: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setObjectName(name)
    button.setAccessibleName(tip)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    return button


class MessageActions(QWidget):
    triggered = Signal(str)  # "copy" | "edit" | "regenerate" | "continue" | "delete" | "prev" | "next"

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role
        self.head = QWidget()  # who wrote it and its versions
        head = QHBoxLayout(self.head)
        head.setContentsMargins(0, 0, 0, 0)
        head.setSpacing(2)
        titles = {"user": self.tr("You"), "assistant": self.tr("DeskSeek"), "system": self.tr("System")}
        self.title = QLabel(titles.get(role, role))
        self.title.setObjectName("messageHeader")
        self.prev_button = _button("‹", "prevVersion", self.tr("Previous version"))
        self.version = QLabel()
        self.version.setObjectName("versionLabel")
        self.next_button = _button("›", "nextVersion", self.tr("Next version"))
        head.addWidget(self.title)
        head.addSpacing(8)
        for w in (self.prev_button, self.version, self.next_button):
            head.addWidget(w)
        head.addStretch(1)
        self.tools = QWidget()  # the actions
        tools = QHBoxLayout(self.tools)
        tools.setContentsMargins(0, 0, 0, 0)
        tools.setSpacing(2)
        self.buttons: dict[str, QToolButton] = {}
        wanted = [("copy", self.tr("Copy"), self.tr("Copy this message"))]
        if role == "user":
            wanted.append(("edit", self.tr("Edit"), self.tr("Edit and resend (keeps the old version)")))
        if role == "assistant":
            wanted += [("continue", self.tr("Continue"), self.tr("Continue the reply where it was cut")),
                       ("regenerate", self.tr("Regenerate"), self.tr("Write a new version of this reply"))]
        wanted.append(("delete", self.tr("Delete"), self.tr("Delete this message and what followed it")))
        for kind, text, tip in wanted:
            button = _button(text, f"{kind}Button", tip)
            button.clicked.connect(lambda _=False, k=kind: self.triggered.emit(k))
            tools.addWidget(button)
            self.buttons[kind] = button
        self.copied = QLabel(self.tr("Copied"))  # shown for a moment after a copy
        self.copied.setObjectName("copiedNote")
        self.copied.hide()
        tools.insertWidget(0, self.copied)
        self._copied_timer = QTimer(self)
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(COPIED_MS)
        self._copied_timer.timeout.connect(self.copied.hide)
        # One row when it fits; in a narrow window the actions go under the title instead of
        # widening the card past the window's edge.
        self._rows = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._rows.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(2)
        self._rows.addWidget(self.head, 1)
        self._rows.addWidget(self.tools, 0, Qt.AlignmentFlag.AlignLeft)
        self.prev_button.clicked.connect(lambda: self.triggered.emit("prev"))
        self.next_button.clicked.connect(lambda: self.triggered.emit("next"))
        self._busy = False
        self.set_position(1, 1)
        self.set_can_continue(False)

    def show_copied(self) -> None:
        self.copied.show()
        self._copied_timer.start()

    def minimumSizeHint(self) -> QSize:
        head, tools = self.head.minimumSizeHint(), self.tools.minimumSizeHint()
        return QSize(max(head.width(), tools.width()), max(head.height(), tools.height()))

    def resizeEvent(self, event) -> None:
        self._fit(event.size().width())
        super().resizeEvent(event)

    def _fit(self, width: int) -> None:
        one_row = width >= self.head.sizeHint().width() + self.tools.sizeHint().width() + self._rows.spacing()
        direction = QBoxLayout.Direction.LeftToRight if one_row else QBoxLayout.Direction.TopToBottom
        if self._rows.direction() != direction:
            self._rows.setDirection(direction)
            self.updateGeometry()

    def set_position(self, index: int, count: int) -> None:
        self._index, self._count = index, count
        many = count > 1
        for w in (self.prev_button, self.version, self.next_button):
            w.setVisible(many)
        self.version.setText(f"{index}/{count}")
        self.prev_button.setEnabled(not self._busy and index > 1)
        self.next_button.setEnabled(not self._busy and index < count)

    def set_can_continue(self, allowed: bool) -> None:
        if "continue" in self.buttons:
            self.buttons["continue"].setVisible(allowed)

    def set_busy(self, busy: bool) -> None:
        """While any reply streams, actions that would start or change a turn wait."""
        self._busy = busy
        for kind, button in self.buttons.items():
            if kind != "copy":
                button.setEnabled(not busy)
        self.set_position(self._index, self._count)
