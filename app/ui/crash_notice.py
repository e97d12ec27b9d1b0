"""The bar that says the last run crashed, with its report one click away (app/crash_reports.py
writes it; this only offers it)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class CrashNotice(QFrame):
    def __init__(self, report: Path, parent=None) -> None:
        super().__init__(parent)
        self.report = report
        self.setObjectName("crashNotice")
        self.label = QLabel(self.tr("DeskSeek closed unexpectedly last time. A crash report was saved: %1")
                            .replace("%1", report.name))
        self.label.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Open report"))
        self.folder_button = QPushButton(self.tr("Show folder"))
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.addWidget(self.label, 1)
        for button in (self.open_button, self.folder_button, self.dismiss_button):
            layout.addWidget(button)
        self.open_button.clicked.connect(lambda: self._open(self.report))
        self.folder_button.clicked.connect(lambda: self._open(self.report.parent))
        self.dismiss_button.clicked.connect(self.hide)  # the report stays in the log folder

    def _open(self, path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.label.setText(self.tr("No program could open it; the report is %1").replace("%1", str(self.report)))
