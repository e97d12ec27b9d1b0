"""The main window: conversations on the left; the model's state, the chat and the composer on the right."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.model_settings import settings_for_model
from app.paths import app_paths
from app.settings import Settings, load_settings
from app.store import Store, StoreError
from app.ui.api_history import ApiHistory
from app.ui.api_switch import ApiSwitch
from app.ui.chat_view import ChatView
from app.ui.composer import Composer
from app.ui.controller import ChatController
from app.ui.crash_notice import CrashNotice
from app.ui.context_advisor import ContextAdvisor
from app.ui.conversation_list import ConversationList
from app.ui.document_desk import DocumentDesk
from app.ui.help_menu import add_help_menu
from app.ui.history_files import HistoryFiles
from app.ui.language_notice import LanguageNotice
from app.ui.model_panel import ModelPanel
from app.ui.model_settings_dialog import ModelSettingsDialog
from app.ui.models_menu import ModelsMenu
from app.ui.models_page import ModelsPage
from app.ui.notice_bar import NoticeBar
from app.ui.runtime_thread import RuntimeThread
from app.ui.settings_dialog import edit_settings
from runtime.default_model import is_default_model
from runtime.loading import is_server_url

CHAT_MIN_WIDTH = 320  # px; with the sidebar's own minimum, a 520 px wide window still fits


class MainWindow(QMainWindow):
    def __init__(self, store: Store, runtime: RuntimeThread) -> None:
        super().__init__()
        self.store = store
        self.setWindowTitle("DeskSeek")
        self.resize(1100, 720)
        self.sidebar = ConversationList(store)
        self.model_panel = ModelPanel()
        self.model_status = self.model_panel.status
        self.notice = NoticeBar()
        self.chat_view = ChatView()
        self.language_notice = LanguageNotice(self)
        self.composer = Composer()
        right = self._chat_column = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.model_panel)
        column.addWidget(self.notice)
        # The conversation's place shows the Models page instead when asked, and on a first launch
        # (an empty chat with only the embedded model ever used): the first thing a new user meets.
        self.chat_stack = QStackedWidget()
        self.chat_stack.addWidget(self.chat_view)
        column.addWidget(self.chat_stack, 1)
        column.addWidget(self.composer)
        # The sidebar gives way first in a narrow window, so messages keep room to wrap.
        right.setMinimumWidth(CHAT_MIN_WIDTH)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 860])
        self.setCentralWidget(splitter)

        self.controller = ChatController(store, runtime, self.chat_view, self)
        self.documents = DocumentDesk(store, self.controller, self)
        self.documents.error.connect(lambda text: self.show_notice(text, "documents"))
        self.documents.intake.stored.connect(lambda _cid: self.notice.clear("documents"))
        self.documents.conversation_opened.connect(lambda _cid: self.refresh_conversations())
        column.insertWidget(column.indexOf(self.composer), self.documents.strip)
        self.setAcceptDrops(True)
        self.history_files = HistoryFiles(store, self)
        self.history_files.message.connect(lambda text: self.show_notice(text, "history"))
        self.history_files.imported.connect(self.refresh_conversations)
        self._build_menu()
        self.controller.model_state_changed.connect(self._show_model_state)
        self.controller.models.refused.connect(lambda text: self.show_notice(text, "model"))
        self.controller.current_changed.connect(self.model_panel.clear_turn)  # its figures were another chat's
        self.controller.current_changed.connect(lambda: self.notice.clear("language"))  # it was about that chat
        self.controller.load_progress.connect(self.model_panel.show_progress)
        self.controller.turn_finished.connect(self.model_panel.show_turn)
        self.controller.generating_changed.connect(self.composer.set_generating)
        self.controller.conversations_changed.connect(self.refresh_conversations)
        self.controller.error.connect(self.show_notice)
        self.composer.send_requested.connect(self._send)
        self.composer.stop_requested.connect(self.controller.stop)
        self.sidebar.new_chat_requested.connect(self.new_chat)
        self.sidebar.conversation_chosen.connect(self.controller.open_conversation)
        self.sidebar.hit_chosen.connect(self._open_search_hit)
        self.sidebar.conversation_deleted.connect(self._on_conversation_deleted)
        self.sidebar.error.connect(self.show_notice)
        # Esc stops a reply from anywhere in the chat column; in the sidebar it clears the search.
        self._stop_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self._chat_column, self.controller.stop)
        self._stop_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._search_shortcuts = [QShortcut(QKeySequence("Ctrl+K"), self, self.sidebar.focus_search),
                                  QShortcut(QKeySequence.StandardKey.Find, self, self.sidebar.focus_search)]
        self._copy_shortcut = QShortcut(QKeySequence("Ctrl+Shift+C"), self, self.copy_last_reply)
        self._describe_shortcuts()
        self.settings = load_settings(store)
        paths = app_paths()
        self.models_page = ModelsPage(store, paths.models_dir, paths.cache, self.settings.language)
        self.models_page.open_requested.connect(self._open_from_library)
        self.models_page.back_requested.connect(self.show_chat)
        self.models_page.settings_requested.connect(self.edit_model_settings)
        self.chat_stack.addWidget(self.models_page)
        self.controller.current_changed.connect(self._conversation_changed)
        # The local API server shares the runtime's queue: window turns and API requests take turns.
        self.api_history = ApiHistory(store, lambda: runtime.queue.info, self)
        self.api_history.saved.connect(lambda _cid: self.refresh_conversations())
        self.api_history.error.connect(lambda text: self.show_notice(text, "api"))
        self.api = ApiSwitch(store, runtime.queue, self.api_history, self)
        self.api.state_changed.connect(self.model_panel.show_api)
        self.api.notice.connect(lambda text: self.show_notice(text, "api"))
        self._use_settings(self.settings)
        self.context_advisor = ContextAdvisor(self)  # offers a longer context when documents need it
        self.settings = self.api.apply(self.settings)
        self.refresh_conversations()
        if self._first_launch():
            self.show_models_page()
        self.composer.editor.setFocus()

    def changeEvent(self, event) -> None:
        """A new language: menus and message buttons are rebuilt in it (the sidebar, composer
        and chat view retranslate themselves)."""
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "controller"):
            self.menuBar().clear()
            self._build_menu()
            self._describe_shortcuts()
            if self.isVisible() and self.controller.reply is None:  # a closed window's store is closed
                try:
                    self.controller.render_branch()
                except StoreError as exc:
                    self.show_notice(str(exc))
        super().changeEvent(event)

    def _describe_shortcuts(self) -> None:
        """What each shortcut does, in the current language: Help > Keyboard shortcuts reads it."""
        self._stop_shortcut.setWhatsThis(self.tr("Stop the reply (its text so far is kept)"))
        for shortcut in self._search_shortcuts:
            shortcut.setWhatsThis(self.tr("Search all conversations"))
        self._copy_shortcut.setWhatsThis(self.tr("Copy the last reply"))

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        for text, shortcut, slot in (
            (self.tr("&New chat"), QKeySequence.StandardKey.New, self.new_chat),
            (self.tr("&Open model…"), QKeySequence.StandardKey.Open, self.choose_model),
            (self.tr("Open model &folder…"), QKeySequence("Ctrl+Shift+O"), self.choose_model_folder),
            (self.tr("&Connect to a server…"), None, self.connect_server),
            (self.tr("Attach &documents…"), QKeySequence("Ctrl+Shift+A"), self.documents.choose),
            (self.tr("Document &library…"), QKeySequence("Ctrl+Shift+L"), self.documents.show_library),
            (self.tr("&Export conversation…"), None,
             lambda: self.history_files.export_conversation(self.controller.conversation_id)),
            (self.tr("Export &all conversations…"), None, self.history_files.export_all),
            (self.tr("&Import conversations…"), None, self.history_files.import_history),
            (self.tr("&Settings…"), QKeySequence("Ctrl+,"), self.open_settings),
            (self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close),
        ):
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            file_menu.addAction(action)
        if getattr(self, "models_menu", None) is not None:  # rebuilt in a new language
            self.models_menu.deleteLater()
        self.models_menu = ModelsMenu(self)
        self.menuBar().addMenu(self.models_menu)
        add_help_menu(self)

    # -- actions -----------------------------------------------------------------
    def new_chat(self) -> None:
        self.controller.new_chat()
        self.composer.editor.setFocus()

    def choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a GGUF model"), "", self.tr("GGUF models (*.gguf);;All files (*)")
        )
        if path:
            self.load_model(path)

    def choose_model_folder(self) -> None:
        """A Hugging Face folder (config.json + safetensors) runs in full precision on the torch engine."""
        path = QFileDialog.getExistingDirectory(self, self.tr("Open a Hugging Face model folder"))
        if path:
            self.load_model(path)

    def connect_server(self) -> None:
        """An OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp) runs the model instead."""
        url, ok = QInputDialog.getText(
            self, self.tr("Connect to a server"),
            self.tr("Address of an OpenAI-compatible server (add #model to pick one of its models):"),
            text="http://127.0.0.1:8000/v1")
        url = url.strip()
        if not ok or not url:
            return
        if not is_server_url(url):
            self.show_notice(self.tr("A server address starts with http:// or https://."))
            return
        self.load_model(url)

    def open_settings(self) -> None:
        try:
            chosen = edit_settings(self, self.store, self.api.can_listen)
            if chosen is not None:
                self.notice.clear("api")
                chosen = self.api.apply(chosen)
        except StoreError as exc:
            self.show_notice(str(exc))
            return
        if chosen is not None:
            reload = chosen.to_plan_preferences() != self.settings.to_plan_preferences()
            self.settings = chosen
            self._use_settings(chosen)
            model = self.controller.model
            path = self.controller.loading_path or (model.path if model else None)
            if reload and path:  # also when a load is under way: the newer one wins
                self.load_model(path)

    def copy_last_reply(self) -> None:
        replies = [v for v in self.chat_view.messages() if v.role == "assistant"]
        if replies:
            QGuiApplication.clipboard().setText(replies[-1].text)

    # -- the Models page ---------------------------------------------------------------
    def show_models_page(self) -> None:
        self.chat_stack.setCurrentWidget(self.models_page)

    def show_chat(self) -> None:
        self.chat_stack.setCurrentWidget(self.chat_view)
        self.composer.editor.setFocus()

    def _first_launch(self) -> bool:
        remembered = self.store.get_setting("model_path")
        return (remembered is None or is_default_model(remembered)) and not self.store.list_conversations()

    def _conversation_changed(self) -> None:
        if self.controller.conversation_id is not None:
            self.show_chat()

    def _open_from_library(self, path: str) -> None:
        self.load_model(path)
        self.show_chat()

    def edit_loaded_model_settings(self) -> None:
        model = self.controller.model
        if model is None or is_server_url(model.path):
            self.show_notice(self.tr("Open a model first; its settings are kept with it."))
            return
        self.edit_model_settings(None)

    def edit_model_settings(self, entry) -> None:
        """entry: a LibraryModel from the Models page, or None for the loaded model."""
        model = self.controller.model
        if entry is None:  # the loaded model: the library's look at it, when it has had one
            entry = next((m for m in self.models_page.library.models
                          if os.path.realpath(m.path) == os.path.realpath(model.path)), None)
        path = entry.path if entry is not None else model.path
        name = entry.name if entry is not None else model.name
        before = settings_for_model(self.store, path, self.settings, name)
        dialog = ModelSettingsDialog(self.store, path, name, self.settings, entry.plan if entry else None,
                                     plan_known=entry is not None and not entry.error, parent=self)
        if not dialog.exec():
            return
        after = settings_for_model(self.store, path, self.settings, name)
        loaded = model is not None and os.path.realpath(model.path) == os.path.realpath(path)
        general = self.settings.to_plan_preferences()
        if loaded and after.to_plan_preferences(general) != before.to_plan_preferences(general):
            self.load_model(path)  # a new context or GPU split takes a reload
        self._use_model_settings()

    def load_model(self, path: str) -> None:
        """Load with the general settings and this model's own (context, GPU split) over them."""
        own = settings_for_model(self.store, path, self.settings)
        self.controller.load_model(path, own.to_plan_preferences(self.settings.to_plan_preferences()))

    def _use_settings(self, settings: Settings) -> None:
        self.controller.system_prompt = settings.system_prompt
        self.models_page.hub.prefs = self.models_page.library.prefs = settings.to_plan_preferences()
        self._use_model_settings()

    def _use_model_settings(self) -> None:
        """The loaded model's sampling (its card's values unless the user changed them) for the
        next turn; without a model, the general settings."""
        model = self.controller.model
        if model is None:
            self.controller.options = self.settings.to_generation_options()
            self.controller.fold_system_prompt = False
        else:
            own = settings_for_model(self.store, model.path, self.settings, model.name)
            self.controller.options = own.to_generation_options(self.settings.max_tokens)
            self.controller.fold_system_prompt = not own.system_prompt
        # What an API request leaves out, and the system prompt folded or not, as here.
        self.api.use_defaults(self.controller.options, self.controller.fold_system_prompt)

    def _open_search_hit(self, conversation_id: str, message_id: str) -> None:
        self.controller.open_conversation(conversation_id)
        self.chat_view.scroll_to(message_id)

    def _on_conversation_deleted(self, conversation_id: str) -> None:
        if self.controller.conversation_id == conversation_id:
            self.new_chat()

    def _send(self, text: str) -> None:
        cid = self.controller.conversation_id
        reading = self.documents.intake.reading_names(cid) if cid else ""
        if reading:  # the question is about them: wait for them rather than answer without
            self.show_notice(self.tr("Still reading %1; your text is kept. Send it when the document is "
                                     "listed above the box.").replace("%1", reading))
            return
        if self.controller.send(text):
            self.composer.take_text()
            self.notice.clear("chat", "language")
            self.show_chat()
            warning = self.language_notice.check(self.controller.model, self.controller.conversation_id, text)
            if warning:
                self.show_notice(warning, "language")

    # -- display -----------------------------------------------------------------
    def refresh_conversations(self) -> None:
        self.sidebar.set_conversations(self.store.list_conversations(), self.controller.conversation_id)

    def _show_model_state(self, kind: str, sentence: str) -> None:
        self.model_panel.show_state(kind, sentence)
        model = self.controller.model
        self.model_panel.context_length = model.context_length if model else 0
        if kind != "loading":
            self._use_model_settings()
        if kind == "ready":  # a load worked: an earlier refusal no longer applies (a new one follows this)
            self.notice.clear("model")

    def offer_crash_report(self, report: Path) -> None:
        """The last run died: its report, with Open report / Show folder / Dismiss, above the chat."""
        self.crash_notice = CrashNotice(report)
        column = self._chat_column.layout()
        column.insertWidget(column.indexOf(self.chat_stack), self.crash_notice)
        self.crash_notice.show()  # added after the window is shown: not shown with it

    def show_notice(self, text: str, kind: str = "chat", action=None) -> None:
        """kind: what the notice is about; a later success of the same kind clears it.
        action: (button text, callable) for a notice that offers one thing to do."""
        self.notice.show_message(text, kind, action)

    # Files dropped anywhere on the window are attached to the open conversation.
    def dragEnterEvent(self, event) -> None:
        if self.documents.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self.documents.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        if self.documents.accepts(event.mimeData()):
            event.acceptProposedAction()
            self.documents.drop(event.mimeData())

    def closeEvent(self, event) -> None:
        self.api.stop()  # its replies cancelled and its port closed before the engine goes
        self.api_history.close_all()
        self.documents.close()
        self.models_page.downloads.close_queue()
        self.runtime_stopped = self.controller.shutdown()
        super().closeEvent(event)
