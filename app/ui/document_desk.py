"""Documents in the window: dropped on it or chosen with File > Attach documents, read off the
GUI thread (with the page being read, and a button that stops it), listed above the composer for
the open conversation, removable there. A
password-protected PDF asks for its password, one dialog at a time; the password goes to that
one reading and is never stored. File > Document library… lists every document read, for
attaching to another conversation without reading it again (app.ui.document_library)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QWidget

from app.documents.extract import SUFFIXES, supported
from app.store import Store, StoreError
from app.ui.controller import ChatController
from app.ui.document_intake import DocumentIntake
from app.ui.document_library import DocumentLibrary
from app.ui.document_strip import DocumentStrip

# The file dialog offers exactly what dropping accepts.
PATTERNS = " ".join(f"*{suffix}" for suffix in SUFFIXES)


class DocumentDesk(QObject):
    error = Signal(str)
    conversation_opened = Signal(str)  # from the library: the sidebar selects it

    def __init__(self, store: Store, controller: ChatController, window: QWidget) -> None:
        super().__init__(window)
        self.store = store
        self.controller = controller
        self.window = window
        self.strip = DocumentStrip()
        self.intake = DocumentIntake(store, self)
        self.intake.reading.connect(self.strip.set_reading)
        self.intake.progress.connect(self.strip.set_progress)
        self.strip.cancel_requested.connect(self.intake.cancel)
        self.intake.error.connect(self.error)
        self.intake.stored.connect(self._on_stored)
        self.intake.password_needed.connect(self._ask_password)
        self._locked: list[tuple[str, str, str, bool]] = []  # PDFs waiting for their password dialog
        self.strip.remove_requested.connect(self.remove)
        self.library: DocumentLibrary | None = None  # File > Document library…, made when first asked
        controller.current_changed.connect(self.refresh)

    def choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, self.tr("Attach documents"), "",
            self.tr("Documents (%1);;All files (*)").replace("%1", PATTERNS))
        if paths:
            self.attach(paths)

    def attach(self, paths: list[str]) -> None:
        wanted = [p for p in paths if supported(Path(p).name)]
        refused = [Path(p).name for p in paths if p not in wanted]
        if refused:
            self.error.emit(self.tr("%1: DeskSeek reads PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), "
                                    "EPUB, HTML, Markdown, text and source-code files, and pictures of text "
                                    "(.png, .jpg).").replace("%1", ", ".join(refused)))
        if not wanted:
            return
        cid = self.controller.ensure_conversation(title=Path(wanted[0]).name)
        if cid is not None:
            self.intake.attach(cid, wanted)

    # -- drag and drop (the window forwards its events) ---------------------------------
    def accepts(self, mime) -> bool:
        return mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())

    def drop(self, mime) -> None:
        self.attach([u.toLocalFile() for u in mime.urls() if u.isLocalFile()])

    # -- the strip ---------------------------------------------------------------------
    def refresh(self) -> None:
        cid = self.controller.conversation_id
        try:
            self.strip.show_documents(self.store.documents(cid) if cid else [])
        except StoreError as exc:
            self.error.emit(str(exc))
        if self.library is not None and self.library.isVisible():
            self.library.refresh(cid or "")

    def remove(self, document_id: str) -> None:
        try:
            self.store.remove_document(document_id)
        except StoreError as exc:
            self.error.emit(str(exc))
        self.refresh()

    # -- the library -------------------------------------------------------------------
    def show_library(self) -> DocumentLibrary:
        if self.library is None:
            self.library = DocumentLibrary(self.store, self.window)
            self.library.open_conversation.connect(self._open_conversation)
            self.library.attach_requested.connect(self.attach_from_library)
            self.library.changed.connect(lambda _cid: self.refresh())
        self.library.refresh(self.controller.conversation_id)
        self.library.show()
        self.library.raise_()
        self.library.activateWindow()
        return self.library

    def _open_conversation(self, conversation_id: str) -> None:
        self.controller.open_conversation(conversation_id)
        self.conversation_opened.emit(conversation_id)

    def attach_from_library(self, sha256: str) -> None:
        """Attach a document the library holds to the open conversation (a new one if none is
        open): its passages are copied, the file is not read again."""
        entry = next((e for e in self.store.library() if e.sha256 == sha256), None)
        if entry is None:
            return
        cid = self.controller.ensure_conversation(title=entry.name)
        if cid is None:
            return
        self.intake.attach_from_library(cid, sha256, entry.name)  # stored -> _on_stored refreshes
        if self.library is not None:
            self.library.current_id = cid
            self.library.show_sentence(self.tr("Attached %1 to this conversation; it was read once "
                                               "and is not read again.").replace("%1", entry.name))

    def close(self) -> None:
        self.intake.close()

    # -- password-protected PDFs ------------------------------------------------------
    def _ask_password(self, conversation_id: str, path: str, name: str, tried: bool) -> None:
        self._locked.append((conversation_id, path, name, tried))
        if len(self._locked) == 1:  # else a dialog is open: it asks for the next one when it closes
            self._next_password()

    def _next_password(self) -> None:
        while self._locked:
            conversation_id, path, name, tried = self._locked[0]
            label = (self.tr("That password does not open %1. Try again:") if tried
                     else self.tr("%1 is password-protected. Its password:")).replace("%1", name)
            password, ok = QInputDialog.getText(self.window, self.tr("Password"), label, QLineEdit.EchoMode.Password)
            self._locked.pop(0)
            if ok and password:
                self.intake.attach(conversation_id, [path], password)
            else:
                self.error.emit(self.tr("%1 was not attached: it opens only with its password.").replace("%1", name))

    def _on_stored(self, conversation_id: str) -> None:
        if conversation_id == self.controller.conversation_id:
            self.refresh()  # the library too, when open
        elif self.library is not None and self.library.isVisible():
            self.library.refresh()
