"""The models on this computer: one row each, with where it came from and what the planner says,
and the actions on the selected one (open, show in the file manager, settings, delete)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from app.models.library import (
    DeleteRefused, LibraryModel, add_user_folder, delete_model, scan_library, user_folders,
)
from app.models.machine import disk_speed_cache
from app.models.machine_description import MachineDescription, hardware_for
from app.ui.background import Background
from app.ui.runtime_words import translated
from runtime.planner import PlanPreferences
from runtime.planning.words import size as human_size

ROLE = Qt.ItemDataRole.UserRole


def scan_for(machine: MachineDescription | None, models_dir: Path, folders: list[str], prefs: PlanPreferences,
             speed_cache: Path) -> list[LibraryModel]:
    """The library planned for this computer or the described one (probed here, off the GUI thread)."""
    return scan_library(models_dir, folders, hardware_for(machine), prefs, speed_cache)


class LibraryView(QWidget):
    open_requested = Signal(str)  # a model path
    settings_requested = Signal(object)  # LibraryModel
    message = Signal(str)

    def __init__(self, store, models_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.models_dir = Path(models_dir)
        self.models: list[LibraryModel] = []
        self.prefs = PlanPreferences()  # the general settings' context and threads (set by the window)
        self.machine: MachineDescription | None = None  # None: this computer (set by the Models page)
        self.background = Background(self)  # folder walks and header reads take seconds on a big disk
        self.background.done.connect(lambda _kind, models: self._show(models))
        self.background.failed.connect(lambda _kind, sentence: self._failed(sentence))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setHeaderLabels([self.tr("Model"), self.tr("Size"), self.tr("Quantization"),
                                    self.tr("Architecture"), self.tr("From"), self.tr("On this computer")])
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.header().setStretchLastSection(False)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda *_: self.open_selected())
        self.open_button = QPushButton(self.tr("Open"))
        self.reveal_button = QPushButton(self.tr("Show in folder"))
        self.settings_button = QPushButton(self.tr("Settings…"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.add_button = QPushButton(self.tr("Add folder…"))
        self.rescan_button = QPushButton(self.tr("Look again"))
        self.open_button.clicked.connect(self.open_selected)
        self.reveal_button.clicked.connect(self.reveal_selected)
        self.settings_button.clicked.connect(self._settings)
        self.delete_button.clicked.connect(self.delete_selected)
        self.add_button.clicked.connect(self.choose_folder)
        self.rescan_button.clicked.connect(self.rescan)
        buttons = QHBoxLayout()
        for b in (self.open_button, self.reveal_button, self.settings_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.rescan_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._selection_changed()

    # -- scanning --------------------------------------------------------------------
    def rescan(self) -> None:
        self.status.setText(self.tr("Looking for models on this computer…"))
        self.rescan_button.setEnabled(False)
        self.background.run("library", scan_for, self.machine, self.models_dir, user_folders(self.store),
                            self.prefs, disk_speed_cache())

    @property
    def scanning(self) -> bool:
        return self.background.busy("library")

    def _failed(self, sentence: str) -> None:
        self.rescan_button.setEnabled(True)
        self.status.setText(sentence)

    def _show(self, models: list[LibraryModel]) -> None:
        self.models = models
        self.rescan_button.setEnabled(True)
        selected = self.selected()
        self.table.clear()
        for m in models:
            item = QTreeWidgetItem([m.name, human_size(m.size_bytes) if m.size_bytes else "",
                                    m.quant, m.arch, self._source(m), self.verdict(m)])
            item.setData(0, ROLE, m)
            item.setToolTip(0, m.path)
            item.setToolTip(5, translated(m.verdict))
            self.table.addTopLevelItem(item)
            if selected and selected.path == m.path:
                item.setSelected(True)
        for col in range(1, 6):
            self.table.resizeColumnToContents(col)
        fits = sum(m.fits for m in models)
        self.status.setText(self.tr("%1 models on this computer; %2 run here.")
                            .replace("%1", str(len(models))).replace("%2", str(fits))
                            if models else self.tr("No models found yet. Download one, or add a folder that holds GGUF files."))
        self._selection_changed()

    def _source(self, m: LibraryModel) -> str:
        return self.tr("DeskSeek") if m.own else (self.tr("Your folder") if m.source == "Your folder" else m.source)

    def verdict(self, m: LibraryModel) -> str:
        """A few words for the column; the planner's whole sentence is the tooltip."""
        if m.error:
            return self.tr("Cannot be read")
        if not m.fits or m.plan is None:
            return self.tr("Does not fit")
        return translated(m.summary)

    # -- the selected model ------------------------------------------------------------
    def selected(self) -> LibraryModel | None:
        items = self.table.selectedItems()
        return items[0].data(0, ROLE) if items else None

    def select_path(self, path: str) -> bool:
        for i in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(i)
            if item.data(0, ROLE).path == path:
                self.table.setCurrentItem(item)
                return True
        return False

    def _selection_changed(self) -> None:
        m = self.selected()
        for b in (self.open_button, self.reveal_button, self.settings_button, self.delete_button):
            b.setEnabled(m is not None)
        if m is not None:
            self.open_button.setEnabled(not m.error)
            self.delete_button.setToolTip("" if m.own else self.tr("Only models DeskSeek downloaded can be deleted here."))

    def open_selected(self) -> None:
        m = self.selected()
        if m is not None and not m.error:
            self.open_requested.emit(m.path)

    def reveal_selected(self) -> None:
        m = self.selected()
        if m is not None:
            folder = Path(m.path) if Path(m.path).is_dir() else Path(m.path).parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _settings(self) -> None:
        m = self.selected()
        if m is not None:
            self.settings_requested.emit(m)

    def delete_selected(self, confirm: bool = True) -> None:
        m = self.selected()
        if m is None:
            return
        if not m.own:
            self.message.emit(self.tr("DeskSeek deletes only the models it downloaded itself; %1 belongs to %2. "
                                      "Remove it there if you no longer need it.")
                              .replace("%1", m.name).replace("%2", self._source(m)))
            return
        if confirm and QMessageBox.question(
                self, self.tr("Delete model"),
                self.tr("Delete %1 (%2) from this computer?").replace("%1", m.name)
                .replace("%2", human_size(m.size_bytes))) != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_model(m, self.models_dir)
        except (DeleteRefused, OSError) as exc:
            self.message.emit(str(exc))
            return
        self.message.emit(self.tr("Deleted %1.").replace("%1", m.name))
        self.rescan()

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of models"))
        if folder:
            self.add_folder(folder)

    def add_folder(self, folder: str) -> None:
        problem = add_user_folder(self.store, folder)
        if problem:
            self.message.emit(problem)
            return
        self.rescan()
