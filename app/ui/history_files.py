"""File > Export and Import: the store's Markdown/JSON export and DeskSeek/ChatGPT import
behind file dialogs. Every failure is a sentence in the window; the history is untouched."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.store import Store, StoreError
from app.store.export_json import export_json
from app.store.export_markdown import export_markdown
from app.store.import_chatgpt import import_chatgpt
from app.store.import_json import import_json


class HistoryFiles(QObject):
    message = Signal(str)  # what happened, for the notice bar
    imported = Signal()

    def __init__(self, store: Store, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.window = parent

    def export_conversation(self, conversation_id: str | None) -> None:
        if conversation_id is None:
            self.message.emit(self.tr("Open a conversation first, then export it."))
            return
        path, chosen = QFileDialog.getSaveFileName(
            self.window, self.tr("Export conversation"), "conversation.md",
            self.tr("Markdown (*.md);;DeskSeek JSON (*.json)"))
        if path:
            self._export(Path(path), [conversation_id], json_format="*.json)" in chosen or path.endswith(".json"))

    def export_all(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Export all conversations"), "deskseek-history.json",
            self.tr("DeskSeek JSON (*.json)"))
        if path:
            self._export(Path(path), None, json_format=True)

    def import_history(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Import conversations"), "",
            self.tr("DeskSeek JSON or ChatGPT export (*.json *.zip);;All files (*)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        chatgpt = path.suffix == ".zip" or path.name == "conversations.json"
        try:
            result = (import_chatgpt if chatgpt else import_json)(self.store, path)
        except StoreError as exc:
            self.message.emit(str(exc))
            return
        self.message.emit(self._imported_sentence(result))
        self.imported.emit()

    def _imported_sentence(self, result) -> str:
        """English needs "1 conversation" but "2 conversations": each count picks its own words."""
        n, m, k = result.conversations, result.messages, result.skipped
        text = (self.tr("Imported 1 conversation") if n == 1
                else self.tr("Imported %1 conversations").replace("%1", str(n)))
        text += self.tr(" (1 message)") if m == 1 else self.tr(" (%1 messages)").replace("%1", str(m))
        if k:
            text += (self.tr("; 1 was already here") if k == 1
                     else self.tr("; %1 were already here").replace("%1", str(k)))
        return text + self.tr(".")

    def _export(self, path: Path, ids: list[str] | None, *, json_format: bool) -> None:
        try:
            count = (export_json if json_format else export_markdown)(self.store, path, ids)
        except StoreError as exc:
            self.message.emit(str(exc))
            return
        self.message.emit(self.tr("Exported %1 conversation(s) to %2.").replace("%1", str(count))
                          .replace("%2", str(path)))
