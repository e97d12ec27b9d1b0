"""The curated DeepSeek family: one row per model, and for the selected one its description, the
sampling its card recommends, and its repos (the GGUF ones first)."""
from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from app.models.catalog import Catalog, CatalogEntry

ROLE = Qt.ItemDataRole.UserRole


def params_text(entry: CatalogEntry) -> str:
    total = _billions(entry.params_total)
    if entry.params_active < entry.params_total:
        return QCoreApplication.translate("CatalogView", "%1 (%2 active)").replace("%1", total).replace(
            "%2", _billions(entry.params_active))
    return total


def _billions(n: int) -> str:
    b = n / 1e9
    return f"{b:.0f}B" if b >= 10 else f"{b:.1f}B".replace(".0B", "B")


class CatalogView(QWidget):
    repo_chosen = Signal(str)  # "owner/name" of a GGUF repo

    def __init__(self, catalog: Catalog, language: str = "en", endpoint: str = "https://huggingface.co",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.language = language
        self.endpoint = endpoint.rstrip("/")
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([self.tr("Model"), self.tr("Parameters"), self.tr("About")])
        self.list.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for entry in catalog.entries:
            item = QTreeWidgetItem([entry.name, params_text(entry), entry.text("description", language)])
            item.setData(0, ROLE, entry)
            item.setToolTip(2, entry.text("description", language))
            self.list.addTopLevelItem(item)
        self.list.resizeColumnToContents(0)
        self.list.resizeColumnToContents(1)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setOpenExternalLinks(False)
        self.details.linkActivated.connect(self._link)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.files_button = QPushButton(self.tr("See the files and how they run here"))
        self.files_button.clicked.connect(lambda: self.selected() and self.repo_chosen.emit(self.selected().gguf[0]))
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.details, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.files_button)
        ll.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(lower)
        splitter.setSizes([300, 160])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.list.currentItemChanged.connect(lambda item, _old: self._show(item.data(0, ROLE) if item else None))
        if catalog.entries:
            self.list.setCurrentItem(self.list.topLevelItem(0))

    def selected(self) -> CatalogEntry | None:
        item = self.list.currentItem()
        return item.data(0, ROLE) if item else None

    def _show(self, entry: CatalogEntry | None) -> None:
        if entry is None:
            self.details.clear()
            return
        fam = entry.family
        repos = "".join(
            f'<li><a href="repo:{html.escape(r)}">{html.escape(r)}</a> — {self.tr("GGUF files for DeskSeek")}</li>'
            for r in entry.gguf)
        repos += (f'<li>{html.escape(entry.original)} — '
                  f'{self.tr("the original weights (safetensors): open the downloaded folder with File > Open model folder")}</li>')
        sampling = (self.tr("Recommended: temperature %1, top-p %2.").replace("%1", f"{fam.temperature:g}")
                    .replace("%2", f"{fam.top_p:g}"))
        self.details.setText(
            f"<b>{html.escape(entry.name)}</b> · {html.escape(params_text(entry))} · {html.escape(entry.license)}"
            f"<br>{html.escape(entry.text('description', self.language))}"
            f"<br>{html.escape(sampling)} {html.escape(entry.text('note', self.language))}"
            f"<ul>{repos}</ul>")
        self.details.setToolTip(fam.source)

    def _link(self, link: str) -> None:
        if link.startswith("repo:"):
            self.repo_chosen.emit(link[len("repo:"):])
