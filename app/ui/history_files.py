"""File > Export and Import: the store's Markdown/JSON export and DeskSeek/ChatGPT import
behind file dialogs. Every failure is a sentence in the window; the history is untouched."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.store import Store, StoreError
from app.store.export_json import export_json
from app.store.export_markdown import export_markdown
from app.store.import_chatgpt import import_chatgpt
from app.store.import_json import import_json

# Characters no file name may hold on some system DeskSeek runs on, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


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
            self.window, self.tr("Export conversation"), self._suggested_name(conversation_id),
            self.tr("Markdown (*.md);;DeskSeek JSON (*.json)"))
        if path:
            self._export(Path(path), [conversation_id], json_format="*.json)" in chosen or path.endswith(".json"))

    def _suggested_name(self, conversation_id: str) -> str:
        """The conversation's title as a file name: no path separators or characters that
        Windows refuses, at most 80 characters; "conversation.md" when nothing is left."""
        try:
            conversation = self.store.get_conversation(conversation_id)
        except StoreError:
            conversation = None
        title = conversation.title if conversation else ""
        name = _UNSAFE.sub(" ", title).strip(" .")
        name = re.sub(r"\s+", " ", name)[:80].rstrip(" .")
        return f"{name or 'conversation'}.md"

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
        # "already here" only when some were: "0 were already here" says nothing.
        sentence = self.tr("%1 (%2); %3.") if result.skipped else self.tr("%1 (%2).")
        self.message.emit(sentence
                          .replace("%1", self.tr("Imported %n conversation(s)", "", result.conversations))
                          .replace("%2", self.tr("%n message(s)", "", result.messages))
                          .replace("%3", self.tr("%n already here", "", result.skipped)))
        self.imported.emit()

    def _export(self, path: Path, ids: list[str] | None, *, json_format: bool) -> None:
        try:
            count = (export_json if json_format else export_markdown)(self.store, path, ids)
        except StoreError as exc:
            self.message.emit(str(exc))
            return
        self.message.emit(self.tr("Exported %n conversation(s) to %1.", "", count).replace("%1", str(path)))
