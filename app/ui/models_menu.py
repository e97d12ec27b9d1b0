"""The Models menu: the embedded model, the models opened lately (files, folders, servers; the
loaded one checked, missing ones greyed with a word), and the ways to open another. Picking one
loads it through the controller like File > Open model. Rebuilt each time it opens, so it always
shows the present state; the list itself lives in app.models.recent (Qt-free)."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from app.models.recent import clear, forget_missing, recent_models
from app.store import StoreError
from runtime.default_model import default_model_path
from runtime.loading import is_server_url

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class ModelsMenu(QMenu):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window_ = window
        self.setTitle(self.tr("&Models"))
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        self.clear()
        window = self.window_
        browse = self.addAction(self.tr("&Browse and download models…"), window.show_models_page)
        browse.setShortcut(QKeySequence("Ctrl+M"))
        self.addAction(self.tr("&Settings for this model…"), window.edit_loaded_model_settings)
        self.addSeparator()
        model = window.controller.model
        current = model.path if model else None
        default = default_model_path()
        embedded = self._model_action(self.tr("Embedded model: SmolLM2-135M (English only)"),
                                      str(default) if default else None, current)
        embedded.setEnabled(default is not None)
        self.addSection(self.tr("Recent"))
        try:
            recent = recent_models(window.store)
        except StoreError as exc:
            window.show_notice(str(exc))
            recent = []
        for item in recent:
            text = item.name
            if item.missing:
                text = self.tr("%1 (missing)").replace("%1", text)
            action = self._model_action(text, item.path, current)
            action.setToolTip(item.path)
            action.setEnabled(not item.missing)
        if not recent:
            self.addAction(self.tr("No recent models yet")).setEnabled(False)
        elif any(item.missing for item in recent):
            self.addAction(self.tr("Forget missing models"), self._forget_missing)
        if recent:
            self.addAction(self.tr("Clear recent models"), self._clear)
        self.addSeparator()
        self.addAction(self.tr("Open model file…"), window.choose_model)
        self.addAction(self.tr("Open model folder…"), window.choose_model_folder)
        self.addAction(self.tr("Connect to a server…"), window.connect_server)
        self.setToolTipsVisible(True)

    def _model_action(self, text: str, path: str | None, current: str | None) -> QAction:
        action = self.addAction(text)
        action.setCheckable(True)
        action.setChecked(path is not None and current is not None and _same(path, current))
        action.setData(path)
        if path is not None:
            action.triggered.connect(lambda _checked=False, p=path: self._load(p))
        return action

    def _load(self, path: str) -> None:
        self.window_.load_model(path)  # with the model's own settings (context, GPU split) over the general

    def _forget_missing(self) -> None:
        self._change(forget_missing)

    def _clear(self) -> None:
        self._change(clear)

    def _change(self, what) -> None:
        try:
            what(self.window_.store)
        except StoreError as exc:
            self.window_.show_notice(str(exc))


def _same(path: str, other: str) -> bool:
    """One model named two ways (a relative path from the command line, an absolute one here)."""
    if is_server_url(path) or is_server_url(other):
        return path == other
    return os.path.abspath(path) == os.path.abspath(other)
