"""How sidebar rows are painted: small muted group headers, and search hits as a title over
their snippet with the matched words in bold. Colours come from the palette, so both themes work."""
from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.ui.sidebar_model import ConversationListModel as M

SNIPPET_LINES = 2


def snippet_html(snippet: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The snippet as escaped HTML with each highlighted span in <b>."""
    out, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(snippet))
        if start >= end:
            continue
        out += [html.escape(snippet[at:start]), "<b>", html.escape(snippet[start:end]), "</b>"]
        at = end
    out.append(html.escape(snippet[at:]))
    return "".join(out)


class SidebarDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        kind = index.data(M.KindRole)
        line = option.fontMetrics.height()
        if kind == "header":
            return QSize(base.width(), line + 14)
        if kind == "hit":
            return QSize(base.width(), line * (1 + SNIPPET_LINES) + 14)
        return QSize(base.width(), max(base.height(), line + 12))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        kind = index.data(M.KindRole)
        if kind == "header":
            self._paint_header(painter, option, index)
        elif kind == "hit":
            self._paint_hit(painter, option, index)
        else:
            super().paint(painter, option, index)

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        painter.setFont(font)
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        rect = option.rect.adjusted(11, 6, -8, 0)  # lines up with the item text
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         index.data(Qt.ItemDataRole.DisplayRole))
        painter.restore()

    def _paint_hit(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:  # the selection/hover background only
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = opt.rect.adjusted(11, 5, -8, -5)
        line = opt.fontMetrics.height()
        painter.save()
        title_font = QFont(opt.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(opt.palette.color(text_role))
        title = painter.fontMetrics().elidedText(index.data(Qt.ItemDataRole.DisplayRole),
                                                 Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect.x(), rect.y(), rect.width(), line, Qt.AlignmentFlag.AlignLeft, title)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(0)
        doc.setTextWidth(rect.width())
        doc.setHtml(snippet_html(index.data(M.SnippetRole) or "", index.data(M.HighlightsRole) or ()))
        context = QAbstractTextDocumentLayout.PaintContext()
        muted = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(muted))
        clip = QRectF(0, 0, rect.width(), line * SNIPPET_LINES)
        context.clip = clip
        painter.translate(rect.x(), rect.y() + line + 2)
        painter.setClipRect(clip)
        doc.documentLayout().draw(painter, context)
        painter.restore()
