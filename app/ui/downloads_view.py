"""Downloads in the window: models-download's queue (one worker thread, resumable, verified), one
row per download with its progress (bytes, rate, time left), pause/resume, cancel, and Open once
it is done. The queue calls its listener on its own thread; the signals here carry each report
to the GUI thread (queued), where the rows are updated."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.models.download_queue import (
    CANCELLED, DONE, FAILED, PAUSED, QUEUED, RUNNING, DownloadJob, DownloadQueue,
)
from app.models.pull import PullRequest
from runtime.planning.words import size as human_size


class _Listener(QObject):
    """DownloadListener for the queue: its calls arrive on the queue's thread, leave as signals."""
    changed = Signal(object)
    progress = Signal(object)

    def job_changed(self, job: DownloadJob) -> None:
        self.changed.emit(job)

    def job_progress(self, job: DownloadJob) -> None:
        self.progress.emit(job)


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


class DownloadRow(QWidget):
    def __init__(self, job: DownloadJob, view: "DownloadsView") -> None:
        super().__init__()
        self.job = job
        self.view = view
        self.title = QLabel(f"{job.request.repo}/{job.request.files[0]}")
        self.title.setToolTip("\n".join(job.request.files))
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.detail = QLabel()
        for label in (self.title, self.detail):  # long paths wrap instead of widening the window
            label.setWordWrap(True)
        self.pause_button = QPushButton()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.open_button = QPushButton(self.tr("Open"))
        self.pause_button.clicked.connect(self._pause_or_resume)
        self.cancel_button.clicked.connect(lambda: view.queue.cancel(self.job.id))
        self.open_button.clicked.connect(lambda: view.open_requested.emit(str(self.job.path)))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        for b in (self.pause_button, self.cancel_button, self.open_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)
        self.update_job(job)

    def _pause_or_resume(self) -> None:
        if self.job.state in (PAUSED, FAILED):
            self.view.queue.resume(self.job.id)
        else:
            self.view.queue.pause(self.job.id)

    def update_job(self, job: DownloadJob) -> None:
        self.job = job
        p = job.progress
        if p is not None and p.total:
            self.bar.setValue(int(1000 * p.done / p.total))
        state = job.state
        self.bar.setVisible(state not in (DONE, CANCELLED))
        self.pause_button.setText(self.tr("Resume") if state in (PAUSED, FAILED) else self.tr("Pause"))
        self.pause_button.setVisible(state in (QUEUED, RUNNING, PAUSED, FAILED))
        self.cancel_button.setVisible(state in (QUEUED, RUNNING, PAUSED, FAILED))
        self.open_button.setVisible(state == DONE)
        self.detail.setText(self.describe(job))

    def describe(self, job: DownloadJob) -> str:
        p = job.progress
        if job.state == DONE:
            return self.tr("Downloaded and verified: %1").replace("%1", str(job.path))
        if job.state == FAILED:
            return job.message or self.tr("The download failed.")
        if job.state == CANCELLED:
            return self.tr("Cancelled; the partial file was deleted.")
        if job.state == QUEUED:
            return self.tr("Waiting for the download before it.")
        if p is None:
            return self.tr("Starting…") if job.state == RUNNING else self.tr(
                "Stopped before it finished; Resume continues from where it stopped.")
        text = self.tr("%1 of %2").replace("%1", human_size(p.done)).replace("%2", human_size(p.total))
        if job.state == PAUSED:
            return text + " · " + self.tr("paused; it continues from here, also after a restart.")
        if p.rate > 0:
            text += " · " + self.tr("%1/s").replace("%1", human_size(p.rate))
        if p.eta is not None:
            text += " · " + self.tr("%1 left").replace("%1", duration(p.eta))
        return text


class DownloadsView(QWidget):
    open_requested = Signal(str)
    finished = Signal(str)  # the first file of a finished download

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._listener = _Listener(self)
        self._listener.changed.connect(self._on_job)
        self._listener.progress.connect(self._on_job)
        self.queue = DownloadQueue(self._listener)
        self.rows: dict[int, DownloadRow] = {}
        self.title = QLabel(self.tr("Downloads"))
        self.title.setObjectName("sectionTitle")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.title)
        self.hide()

    def add(self, request: PullRequest, paused: bool = False) -> int:
        return self.queue.add(request, paused=paused)

    def _on_job(self, job: DownloadJob) -> None:
        row = self.rows.get(job.id)
        if row is None:
            row = self.rows[job.id] = DownloadRow(job, self)
            self._layout.addWidget(row)
            self.show()
        was = row.job.state
        row.update_job(job)
        if job.state == DONE and was != DONE:
            self.finished.emit(str(job.path))

    def close_queue(self) -> None:
        """The window closes: a running download pauses (its partial file stays for next time)."""
        self.queue.close(timeout=5.0)
