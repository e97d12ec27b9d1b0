"""The banner under the model bar: one sentence about the last thing that went wrong (or needs
saying), with a close button. Each notice has a kind ("model", "chat", "documents", "history",
"language", "startup", "context"): a later action of the same kind that succeeds clears it, so a stale
error never outlives the problem it named. A notice may offer one action (a button beside the text,
e.g. "Reload with 32K"); taking it closes the notice."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton


class NoticeBar(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("noticeBar")
        self.label = QLabel()
        self.label.setObjectName("notice")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setObjectName("noticeClose")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        self.action_button = QPushButton()
        self.action_button.setObjectName("noticeAction")
        self.action_button.clicked.connect(self._act)
        self.action_button.hide()
        self._action: Callable[[], None] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.kind = ""
        self._name_button()
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def show_message(self, text: str, kind: str = "", action: tuple[str, Callable[[], None]] | None = None) -> None:
        """action: (button text, what it does), or None for a notice with nothing to do."""
        self.kind = kind if text else ""
        self.label.setText(text)
        self._action = action[1] if action and text else None
        self.action_button.setText(action[0] if action and text else "")
        self.action_button.setVisible(self._action is not None)
        self.setVisible(bool(text))

    def clear(self, *kinds: str) -> None:
        """A later action of one of these kinds worked: its old notice no longer applies."""
        if self.kind in kinds:
            self.dismiss()

    def dismiss(self) -> None:
        self.kind = ""
        self.label.clear()
        self._action = None
        self.action_button.hide()
        self.hide()

    def _act(self) -> None:
        action = self._action
        self.dismiss()
        if action is not None:
            action()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._name_button()
        super().changeEvent(event)

    def _name_button(self) -> None:
        self.close_button.setToolTip(self.tr("Close this message"))
        self.close_button.setAccessibleName(self.tr("Close this message"))
