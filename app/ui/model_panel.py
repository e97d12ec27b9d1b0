"""The bar above the chat: the active model, why it runs the way it does, a progress bar
while it loads, and after each reply its speed, time to first token and how full the
context window is (with a visible note when older turns were left out)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.ui.runtime_words import translated
from app.ui.turn_status import decode_rate
from runtime.types import Finished


class _OneLineUnlessNarrow(QLabel):
    """Wants the width of its text on one line, and wraps only when the window is narrower
    (a word-wrapped QLabel would otherwise ask for a narrow, two-line shape)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        one_line = self.fontMetrics().horizontalAdvance(self.text()) + 2 * self.margin() + 2
        return QSize(max(hint.width(), one_line), hint.height())


class ModelPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("modelPanel")
        self.status = QLabel()
        self.status.setObjectName("modelStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Model status")
        self.progress = QProgressBar()
        self.progress.setObjectName("loadProgress")
        self.progress.setRange(0, 100)
        self.progress.setMaximumHeight(6)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.stats = _OneLineUnlessNarrow()
        self.stats.setObjectName("turnStats")
        self.stats.setAccessibleName("Speed and context")
        self.context_meter = QProgressBar()
        self.context_meter.setObjectName("contextMeter")
        self.context_meter.setAccessibleName("Context used")
        self.context_meter.setMaximumWidth(160)
        self.context_meter.setMaximumHeight(10)
        self.context_meter.setTextVisible(False)
        self.context_meter.hide()
        self.dropped = QLabel()
        self.dropped.setObjectName("droppedNote")
        self.dropped.hide()
        row = QHBoxLayout()
        row.setContentsMargins(16, 0, 16, 4)
        row.setSpacing(10)
        row.addWidget(self.stats)
        row.addWidget(self.context_meter)
        row.addWidget(self.dropped)
        row.addStretch(1)  # keep the meter beside its numbers, not pushed to the far edge
        self.api_status = QLabel()  # "API on http://127.0.0.1:8765/v1" while the local server runs
        self.api_status.setObjectName("apiStatus")
        self.api_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.api_status.hide()
        row.addWidget(self.api_status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(row)
        self.context_length = 0
        self._sentence = ""  # kept as the runtime wrote it, so a new language can show it again
        self._turn: Finished | None = None
        self._api: tuple[str, bool] = ("", False)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.status.setText(translated(self._sentence))
            if self._turn is not None:
                self.show_turn(self._turn)
            self.show_api(*self._api)
        super().changeEvent(event)

    def clear_turn(self) -> None:
        """A different model, or another conversation: the last reply's figures no longer apply."""
        self._turn = None
        self.stats.clear()
        self.context_meter.hide()
        self.dropped.hide()

    def show_state(self, kind: str, sentence: str) -> None:
        if kind != "ready":
            self.clear_turn()
        self._sentence = sentence
        self.status.setProperty("state", kind)
        self.status.setText(translated(sentence))
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def show_api(self, url: str, exposed: bool = False) -> None:
        """The local API server's address while it runs ("" when it is off); `exposed`: other
        computers can reach it."""
        self._api = (url, exposed)
        text = self.tr("API on %1").replace("%1", url)
        if exposed:
            text += " " + self.tr("(reachable from other computers)")
        self.api_status.setText(text if url else "")
        self.api_status.setProperty("exposed", exposed)
        self.api_status.style().unpolish(self.api_status)  # the property picks the theme's colour
        self.api_status.style().polish(self.api_status)
        self.api_status.setVisible(bool(url))

    def show_progress(self, fraction: float) -> None:
        self.progress.setValue(int(fraction * 100))
        self.progress.setVisible(fraction < 1.0)

    def show_turn(self, done: Finished) -> None:
        if not done.completion_tokens:  # stopped or failed before the first token: no speed to show
            return
        self._turn = done
        used = done.prompt_tokens + done.completion_tokens
        parts = [self.tr("%1 tok/s").replace("%1", f"{decode_rate(done):.1f}"),
                 self.tr("first token %1 s").replace("%1", f"{done.time_to_first_token_s or 0:.2f}")]
        if self.context_length:
            parts.append(self.tr("context %1 / %2 tokens").replace("%1", f"{used:,}")
                         .replace("%2", f"{self.context_length:,}"))
            self.context_meter.setRange(0, self.context_length)
            self.context_meter.setValue(min(used, self.context_length))
            self.context_meter.show()
        self.stats.setText(" · ".join(parts))
        self.dropped.setText(self.tr("%n older message(s) left out of the prompt to fit the context", "",
                                     done.dropped_messages))
        self.dropped.setVisible(done.dropped_messages > 0)
