"""The banner under the model bar: one sentence about the last thing that went wrong (or needs
saying), with a close button. Each notice has a kind ("model", "chat", "documents", "history",
"language", "startup"): a later action of the same kind that succeeds clears it, so a stale error never
outlives the problem it named."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton


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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.kind = ""
        self._name_button()
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def show_message(self, text: str, kind: str = "") -> None:
        self.kind = kind if text else ""
        self.label.setText(text)
        self.setVisible(bool(text))

    def clear(self, *kinds: str) -> None:
        """A later action of one of these kinds worked: its old notice no longer applies."""
        if self.kind in kinds:
            self.dismiss()

    def dismiss(self) -> None:
        self.kind = ""
        self.label.clear()
        self.hide()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._name_button()
        super().changeEvent(event)

    def _name_button(self) -> None:
        self.close_button.setToolTip(self.tr("Close this message"))
        self.close_button.setAccessibleName(self.tr("Close this message"))
