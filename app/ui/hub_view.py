"""The Hub from the window: a search over GGUF repos (models-hub's HubClient), a repo's models (a
split GGUF as one) with sizes, and Download for the chosen one. Every call runs off the GUI
thread; the endpoint is the setting, else HF_ENDPOINT, else the Hub."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSplitter,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from app.models.endpoint import endpoint_setting, resolve_endpoint, save_endpoint_setting
from app.models.errors import HubError
from app.models.machine_description import MachineDescription, hardware_for
from app.models.pull import PullRequest
from app.models.tokens import load_token, save_token
from app.ui.background import Background
from app.ui.runtime_words import translated
from runtime.planner import PlanPreferences
from runtime.planning.words import size as human_size

ROLE = Qt.ItemDataRole.UserRole


# app.models.hub imports huggingface_hub (and httpx): on the worker thread, when first used,
# so opening the window does not pay for it.
def search_repos(endpoint: str, text: str):
    from app.models.hub import HubClient
    return HubClient(endpoint).search(text)


def repo_plan(endpoint: str, repo_id: str, cache_dir: Path, prefs: PlanPreferences,
              machine: MachineDescription | None = None):
    """Every GGUF model in the repo with the planner's verdict for this machine (or the described
    one), from headers read
    by HTTP Range (a few MB whatever the size; cached) — models-hub's plan_repo."""
    from app.models.hub import HubClient
    from app.models.remote_header import HeaderCache
    from app.models.machine import models_disk_speed
    from app.models.remote_plan import plan_repo
    return plan_repo(HubClient(endpoint), repo_id, hardware_for(machine), prefs, HeaderCache(cache_dir),
                     disk_speed=models_disk_speed())


def pull_request(endpoint: str, model, dest: Path) -> PullRequest:
    """Built off the GUI thread: the token comes from the OS keyring, which may take a moment."""
    return PullRequest(repo=model.repo_id, files=tuple(f.path for f in model.files), endpoint=endpoint,
                       dest_root=dest, revision=model.revision, token=load_token(endpoint))


class HubView(QWidget):
    download_requested = Signal(object)  # PullRequest
    message = Signal(str)

    def __init__(self, store, models_dir: Path, cache_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.models_dir = Path(models_dir)
        self.cache_dir = Path(cache_dir)
        self.prefs = PlanPreferences()  # the general settings' context and threads (set by the window)
        self.machine: MachineDescription | None = None  # None: this computer (set by the Models page)
        self.background = Background(self)
        self.background.done.connect(self._done)
        self.background.failed.connect(self._failed)
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Search the Hub for GGUF models, e.g. DeepSeek R1"))
        self.query.returnPressed.connect(self.search)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.search)
        self.endpoint_button = QPushButton(self.tr("Hub address…"))
        self.endpoint_button.setToolTip(self.tr("The Hugging Face Hub, or a mirror such as https://hf-mirror.com"))
        self.endpoint_button.clicked.connect(self.choose_endpoint)
        self.token_button = QPushButton(self.tr("Token…"))
        self.token_button.setToolTip(self.tr("An access token for gated repositories, kept in the OS keyring"))
        self.token_button.clicked.connect(self.choose_token)
        self.results = QListWidget()
        self.results.currentItemChanged.connect(
            lambda item, _old: item is not None and self.show_repo(item.data(ROLE)))
        self.repo_title = QLabel()
        self.files = QTreeWidget()
        self.files.setRootIsDecorated(False)
        self.files.setHeaderLabels([self.tr("Model file"), self.tr("Quantization"), self.tr("Size"),
                                    self.tr("On this computer")])
        self.files.header().setStretchLastSection(True)  # the verdict: the column that matters most
        self.files.itemSelectionChanged.connect(self._selection_changed)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.clicked.connect(self.download_selected)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.search_button)
        row.addWidget(self.endpoint_button)
        row.addWidget(self.token_button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.repo_title)
        rl.addWidget(self.files, 1)
        rl.addWidget(self.download_button, 0, Qt.AlignmentFlag.AlignRight)
        split = QSplitter()
        split.addWidget(self.results)
        split.addWidget(right)
        split.setSizes([220, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self._selection_changed()

    def endpoint(self) -> str | None:
        try:
            return resolve_endpoint(None, endpoint_setting(self.store))
        except HubError as exc:
            self.status.setText(str(exc))
            return None

    def choose_endpoint(self) -> None:
        current = endpoint_setting(self.store) or ""
        value, ok = QInputDialog.getText(
            self, self.tr("Hub address"),
            self.tr("Address of the Hugging Face Hub or a mirror (empty: HF_ENDPOINT, else huggingface.co):"),
            text=current)
        if ok:
            self.set_endpoint(value)

    def set_endpoint(self, value: str) -> bool:
        try:
            save_endpoint_setting(self.store, value)
        except HubError as exc:
            self.status.setText(str(exc))
            return False
        self.status.setText(self.tr("Models now come from %1.").replace("%1", self.endpoint() or ""))
        return True

    def choose_token(self) -> None:
        token, ok = QInputDialog.getText(
            self, self.tr("Access token"),
            self.tr("A Hugging Face access token for gated repositories (kept in the OS keyring, never in "
                    "DeskSeek's files):"), QLineEdit.EchoMode.Password)
        if ok:
            self.set_token(token)

    def set_token(self, token: str) -> None:
        endpoint = self.endpoint()
        if endpoint is not None:  # the keyring may wait on the desktop's secret service
            self.background.run("token", save_token, endpoint, token)

    # -- calls ---------------------------------------------------------------------------
    def search(self) -> None:
        endpoint, text = self.endpoint(), self.query.text().strip()
        if endpoint is None or not text:
            return
        self.status.setText(self.tr("Searching %1…").replace("%1", endpoint))
        self.background.run("search", search_repos, endpoint, text)

    def show_repo(self, repo_id: str) -> None:
        endpoint = self.endpoint()
        if endpoint is None:
            return
        self.repo_title.setText(repo_id)
        self.files.clear()
        self.status.setText(self.tr("Reading the headers of %1's models to plan them for this computer…")
                            .replace("%1", repo_id))
        self.background.run("files", repo_plan, endpoint, repo_id, self.cache_dir, self.prefs, self.machine)

    def waiting_for(self, repo_id: str) -> None:
        self.repo_title.setText(repo_id)
        self.files.clear()
        self.status.setText(self.tr("Reading the headers of %1's models to plan them for this computer…")
                            .replace("%1", repo_id))

    def show_plan(self, repo_plan) -> None:
        self.repo_title.setText(repo_plan.repo_id)
        self._show_files(repo_plan)

    def download_selected(self) -> None:
        items = self.files.selectedItems()
        endpoint = self.endpoint()
        if not items or endpoint is None:
            return
        self.background.run("request", pull_request, endpoint, items[0].data(0, ROLE).model, self.models_dir)

    # -- answers ------------------------------------------------------------------------------
    def _done(self, kind: str, result) -> None:
        if kind == "search":
            self.results.clear()
            for repo in result:
                item = QListWidgetItem(f"{repo.repo_id}   ↓ {repo.downloads:,}")
                item.setData(ROLE, repo.repo_id)
                self.results.addItem(item)
            self.status.setText(self.tr("%1 repositories found.").replace("%1", str(len(result)))
                                if result else self.tr("No GGUF repositories match."))
        elif kind == "files":
            self._show_files(result)
        elif kind == "token":
            self.status.setText(self.tr("The token is kept in the OS keyring; gated repositories you may "
                                        "read now open."))
        elif kind == "request":
            self.download_requested.emit(result)
            self.status.setText(self.tr("Added to the downloads below."))

    def _failed(self, kind: str, sentence: str) -> None:
        self.status.setText(sentence)
        self.message.emit(sentence)

    def _show_files(self, repo_plan) -> None:
        self.files.clear()
        if not repo_plan.verdicts:
            self.status.setText(self.tr("%1 has no GGUF model files.").replace("%1", repo_plan.repo_id))
            return
        for v in repo_plan.verdicts:
            m = v.model
            name = m.path + (self.tr(" (%1 parts)").replace("%1", str(len(m.files))) if len(m.files) > 1 else "")
            verdict = translated(v.summary) if v.fits else (self.tr("Does not fit") if v.info else self.tr("Cannot be read"))
            if v.recommended:
                verdict = self.tr("Recommended: %1").replace("%1", verdict)
            item = QTreeWidgetItem([name, v.quant, human_size(m.size_bytes), verdict])
            item.setData(0, ROLE, v)
            item.setToolTip(3, translated(v.reason))
            self.files.addTopLevelItem(item)
            if v.recommended:
                self.files.setCurrentItem(item)
        for col in (0, 1, 2):
            self.files.resizeColumnToContents(col)
        best = repo_plan.recommended
        self.status.setText((self.tr("%1 models in %2; the recommended one is selected.") if best else
                             self.tr("%1 models in %2; none fits this computer (hover a row for why)."))
                            .replace("%1", str(len(repo_plan.verdicts))).replace("%2", repo_plan.repo_id))

    def _selection_changed(self) -> None:
        self.download_button.setEnabled(bool(self.files.selectedItems()))
