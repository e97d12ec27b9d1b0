"""The main window: conversations on the left; the model's state, the chat and the composer on the right."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.store import Store
from app.ui.chat_view import ChatView
from app.ui.composer import Composer
from app.ui.controller import ChatController
from app.ui.conversation_list import ConversationList
from app.ui.model_panel import ModelPanel
from app.ui.runtime_thread import RuntimeThread


class MainWindow(QMainWindow):
    def __init__(self, store: Store, runtime: RuntimeThread) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle("DeskSeek")
        self.resize(1100, 720)
        self.sidebar = ConversationList()
        self.model_panel = ModelPanel()
        self.model_status = self.model_panel.status
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.chat_view = ChatView()
        self.composer = Composer()
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.model_panel)
        column.addWidget(self.notice)
        column.addWidget(self.chat_view, 1)
        column.addWidget(self.composer)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 860])
        self.setCentralWidget(splitter)

        self.controller = ChatController(store, runtime, self.chat_view, self)
        self._build_menu()
        self.controller.model_state_changed.connect(self._show_model_state)
        self.controller.load_progress.connect(self.model_panel.show_progress)
        self.controller.turn_finished.connect(self.model_panel.show_turn)
        self.controller.generating_changed.connect(self.composer.set_generating)
        self.controller.conversations_changed.connect(self.refresh_conversations)
        self.controller.error.connect(self.show_notice)
        self.composer.send_requested.connect(self._send)
        self.composer.stop_requested.connect(self.controller.stop)
        self.sidebar.new_chat_requested.connect(self.new_chat)
        self.sidebar.conversation_chosen.connect(self.controller.open_conversation)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.controller.stop)
        self.refresh_conversations()
        self.composer.editor.setFocus()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        for text, shortcut, slot in (
            (self.tr("&New chat"), QKeySequence.StandardKey.New, self.new_chat),
            (self.tr("&Open model…"), QKeySequence.StandardKey.Open, self.choose_model),
            (self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close),
        ):
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.triggered.connect(slot)
            file_menu.addAction(action)

    # -- actions -----------------------------------------------------------------
    def new_chat(self) -> None:
        self.controller.new_chat()
        self.composer.editor.setFocus()

    def choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a GGUF model"), "", self.tr("GGUF models (*.gguf);;All files (*)")
        )
        if path:
            self.controller.load_model(path)

    def _send(self, text: str) -> None:
        if self.controller.send(text):
            self.composer.take_text()
            self.notice.hide()

    # -- display -----------------------------------------------------------------
    def refresh_conversations(self) -> None:
        self.sidebar.set_conversations(self.store.list_conversations(), self.controller.conversation_id)

    def _show_model_state(self, kind: str, sentence: str) -> None:
        self.model_panel.show_state(kind, sentence)
        model = self.controller.model
        self.model_panel.context_length = model.context_length if model else 0

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def closeEvent(self, event) -> None:
        self.controller.shutdown()
        super().closeEvent(event)
