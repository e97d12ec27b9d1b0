"""Prints sources/hengyuan_2025_report_zh.html to docs/hengyuan_2025_report_zh.pdf with Qt's own
PDF writer (tables and all, several A4 pages), as a user's "Save as PDF" would."""
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

HERE = Path(__file__).parent


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts need it)
    doc = QTextDocument()
    doc.setDefaultFont(QFont("WenQuanYi Micro Hei", 11))
    doc.setHtml((HERE / "sources" / "hengyuan_2025_report_zh.html").read_text(encoding="utf-8"))
    writer = QPdfWriter(str(HERE / "docs" / "hengyuan_2025_report_zh.pdf"))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(20, 20, 20, 20)))
    writer.setCreator("DeskSeek bench")
    doc.print_(writer)


if __name__ == "__main__":
    main()
