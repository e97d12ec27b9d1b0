"""Where the user writes: Enter sends, Shift+Enter starts a new line; Send turns into Stop
while a reply streams."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QWidget


class _Editor(QPlainTextEdit):
    submitted = Signal()

    @staticmethod
    def keys() -> list[tuple[QKeySequence, str]]:
        """The keys keyPressEvent handles, for Help > Keyboard shortcuts."""
        return [(QKeySequence(Qt.Key.Key_Return), QCoreApplication.translate("Composer", "Send the message")),
                (QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_Return),
                 QCoreApplication.translate("Composer", "Start a new line in the message"))]

    def keyPressEvent(self, event) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    send_requested = Signal(str)
    stop_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.editor = _Editor()
        self.editor.setObjectName("composer")
        self.editor.setAccessibleName("Message")
        self.editor.setFixedHeight(84)
        self.send_button = QPushButton()
        self.send_button.setAccessibleName("Send")
        self.stop_button = QPushButton()
        self.stop_button.setAccessibleName("Stop")
        self.retranslate()
        self.stop_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 0, 16, 12)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.send_button)
        layout.addWidget(self.stop_button)
        self.editor.submitted.connect(self._submit)
        self.send_button.clicked.connect(self._submit)
        self.stop_button.clicked.connect(self.stop_requested)

    def retranslate(self) -> None:
        self.editor.setPlaceholderText(self.tr("Ask anything. Enter sends, Shift+Enter adds a line."))
        self.send_button.setText(self.tr("Send"))
        self.stop_button.setText(self.tr("Stop"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def keys(self) -> list[tuple[QKeySequence, str]]:
        return self.editor.keys()

    def set_generating(self, generating: bool) -> None:
        self.send_button.setVisible(not generating)
        self.stop_button.setVisible(generating)

    def take_text(self) -> str:
        text = self.editor.toPlainText().strip()
        if text:
            self.editor.clear()
        return text

    def restore_text(self, text: str) -> None:
        """Give back a message that could not be sent, so nothing typed is lost."""
        self.editor.setPlainText(text)

    def _submit(self) -> None:
        if self.stop_button.isVisible():
            return
        text = self.editor.toPlainText().strip()
        if text:
            self.send_requested.emit(text)
