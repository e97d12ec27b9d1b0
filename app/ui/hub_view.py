"""The Hub from the window: a search over GGUF repos (models-hub's HubClient), a repo's models (a
split GGUF as one) with sizes, and Download for the chosen one. Every call runs off the GUI
thread; the endpoint is the setting, else HF_ENDPOINT, else the Hub."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSplitter,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from app.models.endpoint import endpoint_setting, resolve_endpoint
from app.models.errors import HubError
from app.models.gguf_names import GgufModel, group_models
from app.models.pull import PullRequest
from app.models.pull_spec import recommend
from app.models.tokens import load_token
from app.ui.background import Background
from runtime.planning.words import size as human_size

ROLE = Qt.ItemDataRole.UserRole


# app.models.hub imports huggingface_hub (and httpx): on the worker thread, when first used,
# so opening the window does not pay for it.
def search_repos(endpoint: str, text: str):
    from app.models.hub import HubClient
    return HubClient(endpoint).search(text)


def repo_models(endpoint: str, repo_id: str):
    """(RepoFiles, [GgufModel], {path: size}) for one repo."""
    from app.models.hub import HubClient
    listing = HubClient(endpoint).repo_files(repo_id)
    sizes = {f.path: f.size for f in listing.files}
    return listing, group_models(list(sizes)), sizes


def pull_request(endpoint: str, repo_id: str, revision: str, model: GgufModel, dest: Path) -> PullRequest:
    """Built off the GUI thread: the token comes from the OS keyring, which may take a moment."""
    return PullRequest(repo=repo_id, files=model.files, endpoint=endpoint, dest_root=dest, revision=revision,
                       token=load_token(endpoint))


class HubView(QWidget):
    download_requested = Signal(object)  # PullRequest
    message = Signal(str)

    def __init__(self, store, models_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.models_dir = Path(models_dir)
        self.background = Background(self)
        self.background.done.connect(self._done)
        self.background.failed.connect(self._failed)
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Search the Hub for GGUF models, e.g. DeepSeek R1"))
        self.query.returnPressed.connect(self.search)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.search)
        self.results = QListWidget()
        self.results.currentItemChanged.connect(
            lambda item, _old: item is not None and self.show_repo(item.data(ROLE)))
        self.repo_title = QLabel()
        self.files = QTreeWidget()
        self.files.setRootIsDecorated(False)
        self.files.setHeaderLabels([self.tr("Model file"), self.tr("Quantization"), self.tr("Size"), ""])
        self.files.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.files.itemSelectionChanged.connect(self._selection_changed)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.clicked.connect(self.download_selected)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.search_button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.repo_title)
        rl.addWidget(self.files, 1)
        rl.addWidget(self.download_button, 0, Qt.AlignmentFlag.AlignRight)
        split = QSplitter()
        split.addWidget(self.results)
        split.addWidget(right)
        split.setSizes([260, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self._repo = None  # (repo id, revision) on show
        self._selection_changed()

    def endpoint(self) -> str | None:
        try:
            return resolve_endpoint(None, endpoint_setting(self.store))
        except HubError as exc:
            self.status.setText(str(exc))
            return None

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
        self._repo = None
        self.status.setText(self.tr("Listing the files of %1…").replace("%1", repo_id))
        self.background.run("files", repo_models, endpoint, repo_id)

    def download_selected(self) -> None:
        items = self.files.selectedItems()
        endpoint = self.endpoint()
        if not items or self._repo is None or endpoint is None:
            return
        repo_id, revision = self._repo
        self.background.run("request", pull_request, endpoint, repo_id, revision, items[0].data(0, ROLE),
                            self.models_dir)

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
            listing, models, sizes = result
            self._show_files(listing, models, sizes)
        elif kind == "request":
            self.download_requested.emit(result)
            self.status.setText(self.tr("Added to the downloads below."))

    def _failed(self, kind: str, sentence: str) -> None:
        self.status.setText(sentence)
        self.message.emit(sentence)

    def _show_files(self, listing, models: list[GgufModel], sizes: dict[str, int]) -> None:
        self._repo = (listing.repo_id, listing.revision)
        self.files.clear()
        if not models:
            self.status.setText(self.tr("%1 has no GGUF model files.").replace("%1", listing.repo_id))
            return
        best = recommend(models)
        for m in models:
            size = sum(sizes.get(f, 0) for f in m.files)
            name = m.path + (self.tr(" (%1 parts)").replace("%1", str(len(m.files))) if len(m.files) > 1 else "")
            item = QTreeWidgetItem([name, m.quant or "", human_size(size),
                                    self.tr("Recommended") if m is best else ""])
            item.setData(0, ROLE, m)
            self.files.addTopLevelItem(item)
            if m is best:
                self.files.setCurrentItem(item)
        for col in (1, 2, 3):
            self.files.resizeColumnToContents(col)
        self.status.setText(self.tr("%1 models in %2.").replace("%1", str(len(models))).replace("%2", listing.repo_id))

    def _selection_changed(self) -> None:
        self.download_button.setEnabled(bool(self.files.selectedItems()))
