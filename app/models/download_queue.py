"""Several downloads, one after another, on one worker thread; pause, resume, cancel any of them.

Qt-free: the window's Models page adapts a `DownloadListener` to signals (its methods are called
on the worker thread, so the adapter must hand them to the GUI thread with queued signals).

States: queued -> running -> done | failed | paused | cancelled; paused -> queued (resume);
queued/paused -> cancelled. Pausing keeps the partial file, so resuming (even after the app was
closed and a new queue got the same request) continues where it stopped.
"""
from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Protocol

from app.models.download import DownloadControl
from app.models.download_errors import DownloadStopped
from app.models.partial import part_path, sidecar_path
from app.models.progress import Progress
from app.models.pull import PullRequest, local_path, pull
from runtime.types import DeskSeekError

log = logging.getLogger(__name__)

QUEUED, RUNNING, PAUSED, DONE, FAILED, CANCELLED = "queued", "running", "paused", "done", "failed", "cancelled"


@dataclass(frozen=True)
class DownloadJob:
    """A snapshot of one download, as the listener sees it."""

    id: int
    request: PullRequest
    state: str
    progress: Progress | None = None
    path: Path | None = None  # the first file's final path, once done
    message: str | None = None  # the sentence of a failure


class DownloadListener(Protocol):
    def job_changed(self, job: DownloadJob) -> None:
        """The job's state changed (queued, running, paused, done, failed, cancelled)."""

    def job_progress(self, job: DownloadJob) -> None:
        """A few times a second while the job runs; job.progress has bytes, rate and time left."""


class DownloadQueue:
    def __init__(self, listener: DownloadListener,
                 run: Callable[[PullRequest, DownloadControl, Callable[[Progress], None]], Path] | None = None):
        self._listener = listener
        self._run = run or (lambda req, control, on_progress: pull(req, control, on_progress))
        self._ids = itertools.count(1)
        self._jobs: dict[int, DownloadJob] = {}
        self._waiting: deque[int] = deque()
        self._controls: dict[int, DownloadControl] = {}
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._work, name="download-queue", daemon=True)
        self._thread.start()

    # -- from any thread --

    def add(self, request: PullRequest, paused: bool = False) -> int:
        """Queue a download; `paused` lists it without starting it (an interrupted one from
        `pull.interrupted_downloads`, waiting for the user's resume or cancel)."""
        with self._cond:
            job = DownloadJob(id=next(self._ids), request=request, state=PAUSED if paused else QUEUED)
            self._jobs[job.id] = job
            if not paused:
                self._waiting.append(job.id)
                self._cond.notify()
        self._listener.job_changed(job)
        return job.id

    def jobs(self) -> list[DownloadJob]:
        with self._cond:
            return list(self._jobs.values())

    def pause(self, job_id: int) -> None:
        with self._cond:
            job = self._jobs[job_id]
            if job.state == RUNNING:
                self._controls[job_id].pause()  # the worker reports PAUSED when the download stops
                return
            if job.state != QUEUED:
                return
            self._waiting.remove(job_id)
            job = self._set(job_id, state=PAUSED)
        self._listener.job_changed(job)

    def resume(self, job_id: int) -> None:
        with self._cond:
            if self._jobs[job_id].state not in (PAUSED, FAILED):
                return
            job = self._set(job_id, state=QUEUED, message=None)
            self._waiting.append(job_id)
            self._cond.notify()
        self._listener.job_changed(job)

    def cancel(self, job_id: int) -> None:
        """Stop the job and delete its partial files (a finished file is never touched)."""
        with self._cond:
            job = self._jobs[job_id]
            if job.state == RUNNING:
                self._controls[job_id].cancel()
                return
            if job.state not in (QUEUED, PAUSED, FAILED):
                return
            if job_id in self._waiting:
                self._waiting.remove(job_id)
            job = self._set(job_id, state=CANCELLED)
        _delete_partials(job.request)
        self._listener.job_changed(job)

    def close(self, timeout: float | None = 10.0) -> None:
        """Pause the running download (its partial file is kept) and stop the worker."""
        with self._cond:
            self._closed = True
            for control in self._controls.values():
                control.pause()
            self._cond.notify()
        self._thread.join(timeout)

    # -- the worker thread --

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                job_id = self._waiting.popleft()
                control = self._controls[job_id] = DownloadControl()
                job = self._set(job_id, state=RUNNING)
            self._listener.job_changed(job)
            self._listener.job_changed(self._run_one(job, control))

    def _run_one(self, job: DownloadJob, control: DownloadControl) -> DownloadJob:
        def on_progress(p: Progress) -> None:
            with self._cond:
                snapshot = self._set(job.id, progress=p)
            self._listener.job_progress(snapshot)

        changes: dict = {}
        try:
            path = self._run(job.request, control, on_progress)
            changes = {"state": DONE, "path": path}
        except DownloadStopped as stop:
            changes = {"state": CANCELLED if stop.reason == "cancel" else PAUSED}
        except DeskSeekError as exc:
            changes = {"state": FAILED, "message": str(exc)}
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the queue; the user sees it
            log.exception("download %s failed", job.request)
            changes = {"state": FAILED, "message": f"The download failed unexpectedly: {exc}"}
        with self._cond:
            self._controls.pop(job.id, None)
            return self._set(job.id, **changes)

    def _set(self, job_id: int, **changes) -> DownloadJob:
        job = self._jobs[job_id] = replace(self._jobs[job_id], **changes)
        return job


def _delete_partials(request: PullRequest) -> None:
    for path in request.files:
        dest = local_path(request.dest_root, request.repo, path)
        part_path(dest).unlink(missing_ok=True)
        sidecar_path(dest).unlink(missing_ok=True)
