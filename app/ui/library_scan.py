"""The library, scanned off the GUI thread: folder walks, header reads and the planner can take
seconds on a big disk. One daemon thread per scan; a newer scan makes an older one's result stale,
and only the newest reaches the page (through a queued signal)."""
from __future__ import annotations

import itertools
import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.models.library import scan_library
from runtime.planner import PlanPreferences

log = logging.getLogger(__name__)


class LibraryScan(QObject):
    finished = Signal(list)  # [LibraryModel], newest scan only
    _done = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._latest = 0
        self.busy = False
        self._done.connect(self._on_done)

    def start(self, models_dir: Path, folders: list[str], prefs: PlanPreferences = PlanPreferences()) -> None:
        self._latest = scan_id = next(self._ids)
        self.busy = True
        threading.Thread(target=self._work, args=(scan_id, models_dir, list(folders), prefs),
                         name="deskseek-library", daemon=True).start()

    def _work(self, scan_id: int, models_dir: Path, folders: list[str], prefs: PlanPreferences) -> None:
        try:
            models = scan_library(models_dir, folders, prefs=prefs)
        except Exception:  # a bug in one scanner must not leave the page waiting forever
            log.exception("library scan failed")
            models = []
        try:
            self._done.emit(scan_id, models)
        except RuntimeError:  # the window closed while the scan ran: nobody is waiting for it
            pass

    def _on_done(self, scan_id: int, models: list) -> None:
        if scan_id == self._latest:
            self.busy = False
            self.finished.emit(models)
