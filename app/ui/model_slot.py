"""The model the window chats with: load requests to the runtime thread, what is loaded now,
and what is being loaded. A refused file leaves the working model in place."""
from __future__ import annotations

import itertools

from PySide6.QtCore import QObject, Signal

from app.models.recent import remember
from app.store import Store, StoreError
from app.store.own_files import refuse_history_file
from app.ui.runtime_thread import RuntimeThread
from app.ui.runtime_words import translated
from runtime.sentences import join
from runtime.types import LoadedModel


class ModelSlot(QObject):
    state_changed = Signal(str, object)  # kind ("loading" | "ready" | "error"), sentence (str or Sentence)
    progress = Signal(float)
    error = Signal(str)
    refused = Signal(str)  # a file or server refused while another model stays in use

    def __init__(self, store: Store, runtime: RuntimeThread, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.runtime = runtime
        self.model: LoadedModel | None = None
        self.loading_path: str | None = None  # set while a load is under way
        self._ids = itertools.count(1)
        self._request = 0
        worker = runtime.worker
        worker.load_progress.connect(self._on_progress)
        worker.loaded.connect(self._on_loaded)
        worker.load_failed.connect(self._on_failed)

    def load(self, path: str, prefs=None) -> None:
        """prefs: runtime.planner.PlanPreferences (context length, threads), or the planner's defaults.
        The current model stays usable until the engine actually lets it go."""
        self._request = next(self._ids)
        try:  # llama.cpp or the header reader would open() it, and closing that drops SQLite's locks
            refuse_history_file(path, self.store.path, "opened as a model")
        except StoreError as exc:
            self._on_failed(self._request, str(exc), self.model)
            return
        self.loading_path = path
        self.state_changed.emit("loading", self.tr("Loading %1…").replace("%1", path.rsplit("/", 1)[-1]))
        self.progress.emit(0.0)
        self.runtime.load(self._request, path, prefs)

    def _on_progress(self, request_id: int, fraction: float) -> None:
        if request_id == self._request:
            self.progress.emit(fraction)

    def _on_loaded(self, request_id: int, info: LoadedModel) -> None:
        if request_id != self._request:
            return
        self.model = info
        self.loading_path = None
        try:
            self.store.set_setting("model_path", info.path)
            remember(self.store, info.path)  # for the Models menu
        except StoreError as exc:
            self.error.emit(str(exc))
        self.progress.emit(1.0)
        self.state_changed.emit("ready", describe(info))

    def _on_failed(self, request_id: int, message, still_loaded: LoadedModel | None) -> None:
        if request_id != self._request:
            return
        self.loading_path = None
        self.model = still_loaded
        self.progress.emit(1.0)
        if still_loaded is None:
            self.state_changed.emit("error", message)
            return
        # The file was refused before the engine let the old model go: keep chatting with it. The bar
        # keeps describing the model in use; the refusal is a notice the user can close.
        self.state_changed.emit("ready", describe(still_loaded))
        self.refused.emit(self.tr("%1 — still using %2.").replace("%1", translated(message))
                          .replace("%2", still_loaded.name))


def describe(info: LoadedModel) -> str:
    """The bar's sentence for a loaded model: its name, its languages when known, and why it runs
    the way it does (kept translatable)."""
    return join(" — ", [join(" · ", [info.name, info.languages]), info.reason])
