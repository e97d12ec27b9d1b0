"""The Models page: the curated DeepSeek catalog and the models already on this computer, each
with what the planner says about running it here. Opened from the Models menu, and shown instead
of the empty chat on a first launch. Nothing here blocks the GUI thread on the disk or network."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.models.catalog import CatalogError, load_catalog
from app.models.pull import interrupted_downloads
from app.models.tokens import load_token
from app.ui.catalog_view import CatalogView
from app.ui.downloads_view import DownloadsView
from app.ui.background import Background
from app.ui.hub_view import HubView, repo_plan
from app.ui.library_view import LibraryView
from app.ui.machine_choice import MachineChoice


def interrupted(models_dir: Path) -> list:
    """The partial downloads in the models folder (a disk walk), each with its endpoint's token."""
    return [replace(r, token=load_token(r.endpoint)) for r in interrupted_downloads(models_dir)]


class ModelsPage(QWidget):
    open_requested = Signal(str)
    back_requested = Signal()
    settings_requested = Signal(object)  # LibraryModel

    def __init__(self, store, models_dir: Path, cache_dir: Path, language: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelsPage")
        title = QLabel(self.tr("Models"))
        title.setObjectName("pageTitle")
        self.back_button = QPushButton(self.tr("Back to the chat"))
        self.back_button.clicked.connect(self.back_requested)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.back_button)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.machine_choice = MachineChoice(store)  # plan for this computer or a described one
        self.machine_choice.changed.connect(self.plan_for)
        self.tabs = QTabWidget()
        try:
            catalog = load_catalog()
            self.catalog = CatalogView(catalog, language)
            self.tabs.addTab(self.catalog, self.tr("DeepSeek models"))
        except CatalogError as exc:  # a damaged install loses the list, never the page
            self.catalog = None
            self.show_notice(str(exc))
        self.hub = HubView(store, models_dir, cache_dir)
        self.hub.message.connect(self.show_notice)
        self.tabs.addTab(self.hub, self.tr("Search the Hub"))
        self.background = Background(self)  # the catalog's verdicts: headers read off the GUI thread
        self.background.done.connect(self._done)
        self.background.failed.connect(self._failed)
        self._planning = ""
        self._hub_waits_for = ""  # the Hub tab shows the catalog's plan of this repo when it arrives
        if self.catalog is not None:
            self.catalog.repo_chosen.connect(self.show_repo)
            self.catalog.plan_wanted.connect(self.plan_catalog_repo)
        self.downloads = DownloadsView()
        self.hub.download_requested.connect(self.downloads.add)
        self.downloads.open_requested.connect(self.open_requested)
        self.library = LibraryView(store, models_dir)
        self.library.open_requested.connect(self.open_requested)
        self.library.settings_requested.connect(self.settings_requested)
        self.library.message.connect(self.show_notice)
        self.tabs.addTab(self.library, self.tr("On this computer"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.machine_choice)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.downloads)
        self.downloads.finished.connect(lambda _path: self.library.rescan())
        # Downloads an earlier session left unfinished come back, paused, ready to continue.
        self.background.run("interrupted", interrupted, Path(models_dir))
        self._scanned = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._scanned:  # the first look at the page starts the scan, not the app's start
            self._scanned = True
            self.library.rescan()

    def plan_catalog_repo(self, repo_id: str) -> None:
        endpoint = self.hub.endpoint()
        if endpoint is None or (self._planning == repo_id and self.background.busy("catalog")):
            return
        self._planning = repo_id
        self.background.run("catalog", repo_plan, endpoint, repo_id, self.hub.cache_dir, self.hub.prefs,
                            self.hub.machine)

    def _done(self, kind: str, result) -> None:
        if kind == "catalog":
            self._catalog_planned(result)
        elif kind == "interrupted":
            for request in result:  # listed paused: the user resumes or cancels each
                self.downloads.add(request, paused=True)

    def _failed(self, kind: str, sentence: str) -> None:
        if kind == "catalog":
            self.catalog.set_failure(self._planning, sentence)
        else:
            self.show_notice(sentence)

    def _catalog_planned(self, plan) -> None:
        self.catalog.set_plan(plan)
        if self._hub_waits_for == plan.repo_id:
            self._hub_waits_for = ""
            self.hub.show_plan(plan)

    def show_repo(self, repo_id: str) -> None:
        """A catalog entry's GGUF repo: its files, with Download, on the Hub tab. The catalog's
        own look at the same repo is reused (or awaited) rather than reading the headers twice."""
        self.tabs.setCurrentWidget(self.hub)
        if self._planning == repo_id and self.background.busy("catalog"):
            self._hub_waits_for = repo_id
            self.hub.waiting_for(repo_id)
        else:
            self.hub.show_repo(repo_id)

    def plan_for(self, machine) -> None:
        """Every verdict on the page again, for the described machine (None: this computer); the
        headers come from the cache, so only the planner runs again."""
        self.hub.machine = self.library.machine = machine
        self._planning = self._hub_waits_for = ""  # an answer for the previous machine is stale
        self.background.forget("catalog")
        if self.catalog is not None:
            self.catalog.forget_verdicts()
        if self.hub.repo_title.text():
            self.hub.show_repo(self.hub.repo_title.text())
        if self._scanned:
            self.library.rescan()

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
