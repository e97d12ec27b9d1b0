"""The curated DeepSeek family: one row per model, and for the selected one its description, the
sampling its card recommends, and its repos (the GGUF ones first)."""
from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from app.models.catalog import Catalog, CatalogEntry
from app.ui.runtime_words import translated
from runtime.planning.words import size as size_text

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
    plan_wanted = Signal(str)  # a GGUF repo whose verdict for this machine is not known yet

    def __init__(self, catalog: Catalog, language: str = "en", endpoint: str = "https://huggingface.co",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.language = language
        self.endpoint = endpoint.rstrip("/")
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.verdicts: dict[str, tuple[str, str]] = {}  # repo -> (the line shown, the planner's sentence)
        self.failures: dict[str, str] = {}  # repo -> why it could not be planned (asked again when reselected)
        self.list.setHeaderLabels([self.tr("Model"), self.tr("Parameters"), self.tr("On this computer"),
                                   self.tr("About")])
        self.list.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for entry in catalog.entries:
            item = QTreeWidgetItem([entry.name, params_text(entry), "", entry.text("description", language)])
            item.setData(0, ROLE, entry)
            item.setToolTip(3, entry.text("description", language))
            self.list.addTopLevelItem(item)
        self.list.resizeColumnToContents(0)
        self.list.resizeColumnToContents(1)
        self.list.setColumnWidth(2, 260)
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
        self.list.currentItemChanged.connect(lambda item, _old: self._select(item.data(0, ROLE) if item else None))
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
        repo = entry.gguf[0]
        known = self.verdicts.get(repo)
        if known:
            here = known[0]
        elif repo in self.failures:
            here = self.failures[repo]
        else:
            here = self.tr("Reading the headers of %1 to see how it runs here…").replace("%1", repo)
            if self.isVisible():
                self.plan_wanted.emit(repo)
        sampling = (self.tr("Recommended: temperature %1, top-p %2.").replace("%1", f"{fam.temperature:g}")
                    .replace("%2", f"{fam.top_p:g}"))
        self.details.setText(
            f"<b>{html.escape(entry.name)}</b> · {html.escape(params_text(entry))} · {html.escape(entry.license)}"
            f"<br>{html.escape(entry.text('description', self.language))}"
            f"<br>{html.escape(sampling)} {html.escape(entry.text('note', self.language))}"
            f"<br><b>{html.escape(self.tr('On this computer:'))}</b> {html.escape(here)}"
            f"<ul>{repos}</ul>")
        self.details.setToolTip(fam.source)

    def _select(self, entry: CatalogEntry | None) -> None:
        if entry is not None:
            self.failures.pop(entry.gguf[0], None)  # offline a minute ago: try again
        self._show(entry)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._show(self.selected())  # the first look plans the selected entry

    def set_plan(self, repo_plan) -> None:
        """models-hub's RepoPlan for one of the entries' GGUF repos."""
        best = repo_plan.recommended
        if best is not None:
            line = self.tr("%1 (%2): %3").replace("%1", best.quant).replace(
                "%2", size_text(best.model.size_bytes)).replace("%3", translated(best.summary or ""))
            self._set_verdict(repo_plan.repo_id, line, translated(best.reason))
        elif repo_plan.verdicts:
            smallest = repo_plan.verdicts[0]  # smallest first
            self._set_verdict(repo_plan.repo_id, self.tr("Does not fit, not even %1 (%2)").replace(
                "%1", smallest.quant).replace("%2", size_text(smallest.model.size_bytes)), translated(smallest.reason))
        else:
            self._set_verdict(repo_plan.repo_id, self.tr("No GGUF files found"), "")

    def forget_verdicts(self) -> None:
        """The machine planned for changed: every row asks again (the selected one now)."""
        self.verdicts.clear()
        self.failures.clear()
        for i in range(self.list.topLevelItemCount()):
            self.list.topLevelItem(i).setText(2, "")
            self.list.topLevelItem(i).setToolTip(2, "")
        self._show(self.selected())

    def set_failure(self, repo: str, sentence: str) -> None:
        self.failures[repo] = sentence
        self._update_row(repo, self.tr("Unknown"), sentence)
        selected = self.selected()
        if selected is not None and selected.gguf[0] == repo:
            self._show(selected)

    def _set_verdict(self, repo: str, line: str, reason: str) -> None:
        self.verdicts[repo] = (line, reason)
        self._update_row(repo, line, reason)
        selected = self.selected()
        if selected is not None and selected.gguf[0] == repo:
            self._show(selected)

    def _update_row(self, repo: str, line: str, tooltip: str) -> None:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item.data(0, ROLE).gguf[0] == repo:
                item.setText(2, line)
                item.setToolTip(2, tooltip)

    def _link(self, link: str) -> None:
        if link.startswith("repo:"):
            self.repo_chosen.emit(link[len("repo:"):])
