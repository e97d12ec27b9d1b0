"""The row above a message: who wrote it, its version switcher (‹ 2/3 ›) and its actions."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        titles = {"user": self.tr("You"), "assistant": self.tr("DeskSeek"), "system": self.tr("System")}
        self.title = QLabel(titles.get(role, role))
        self.title.setObjectName("messageHeader")
        self.prev_button = _button("‹", "prevVersion", self.tr("Previous version"))
        self.version = QLabel()
        self.version.setObjectName("versionLabel")
        self.next_button = _button("›", "nextVersion", self.tr("Next version"))
        layout.addWidget(self.title)
        layout.addSpacing(8)
        for w in (self.prev_button, self.version, self.next_button):
            layout.addWidget(w)
        layout.addStretch(1)
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
            layout.addWidget(button)
            self.buttons[kind] = button
        self.prev_button.clicked.connect(lambda: self.triggered.emit("prev"))
        self.next_button.clicked.connect(lambda: self.triggered.emit("next"))
        self._busy = False
        self.set_position(1, 1)
        self.set_can_continue(False)

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
