"""The download queue: one after another, pause/resume/cancel, every change told to the listener."""
import threading
import time

from app.models.download_queue import CANCELLED, DONE, FAILED, PAUSED, QUEUED, RUNNING, DownloadQueue
from app.models.partial import part_path
from app.models.pull import PullRequest
from runtime.default_model import FILENAME
from tests.hubfake import SMOLLM2_REPO


class Recorder:
    """A listener as the window's adapter would be: it only records (called on the worker thread)."""

    def __init__(self):
        self.states: list[tuple[int, str]] = []
        self.progress: list = []
        self.last = {}
        self.changed = threading.Condition()

    def job_changed(self, job):
        with self.changed:
            self.states.append((job.id, job.state))
            self.last[job.id] = job
            self.changed.notify_all()

    def job_progress(self, job):
        self.progress.append((job.id, job.progress))

    def wait_for(self, job_id, state, timeout=30):
        with self.changed:
            assert self.changed.wait_for(lambda: (job_id, state) in self.states, timeout), self.states
        return self.last[job_id]


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_downloads_run_one_after_another(smollm2_hub, tmp_path):
    listener = Recorder()
    queue = DownloadQueue(listener)
    try:
        first = queue.add(PullRequest.for_file(SMOLLM2_REPO, FILENAME, smollm2_hub.url, tmp_path / "a"))
        second = queue.add(PullRequest.for_file(SMOLLM2_REPO, FILENAME, smollm2_hub.url, tmp_path / "b"))
        done = listener.wait_for(second, DONE)
    finally:
        queue.close()
    assert done.path == tmp_path / "b" / SMOLLM2_REPO / FILENAME and done.path.exists()
    order = [s for s in listener.states if s[1] in (RUNNING, DONE)]
    assert order == [(first, RUNNING), (first, DONE), (second, RUNNING), (second, DONE)]
    assert listener.progress and listener.progress[-1][1].done == done.path.stat().st_size


def test_pause_resume_and_cancel(smollm2_hub, tmp_path):
    smollm2_hub.faults.throttle(20e6)
    listener = Recorder()
    queue = DownloadQueue(listener)
    try:
        running = queue.add(PullRequest.for_file(SMOLLM2_REPO, FILENAME, smollm2_hub.url, tmp_path / "a"))
        waiting = queue.add(PullRequest.for_file(SMOLLM2_REPO, FILENAME, smollm2_hub.url, tmp_path / "b"))
        part = part_path(tmp_path / "a" / SMOLLM2_REPO / FILENAME)
        listener.wait_for(running, RUNNING)
        queue.cancel(waiting)  # still queued: it never starts
        listener.wait_for(waiting, CANCELLED)
        wait_until(lambda: part.exists() and part.stat().st_size > 2 << 20)
        queue.pause(running)
        listener.wait_for(running, PAUSED)
        kept = part.stat().st_size
        smollm2_hub.faults.clear()
        smollm2_hub.reset_log()
        queue.resume(running)
        done = listener.wait_for(running, DONE)
    finally:
        queue.close()
    assert done.path.exists() and not part.exists()
    assert smollm2_hub.bytes_served("cdn") == done.path.stat().st_size - kept
    assert (waiting, RUNNING) not in listener.states and not (tmp_path / "b").exists()


def test_a_failure_is_a_sentence_and_the_queue_goes_on(smollm2_hub, tmp_path):
    listener = Recorder()
    queue = DownloadQueue(listener)
    try:
        bad = queue.add(PullRequest.for_file("nobody/nothing", "x.gguf", smollm2_hub.url, tmp_path))
        good = queue.add(PullRequest.for_file(SMOLLM2_REPO, FILENAME, smollm2_hub.url, tmp_path))
        failed = listener.wait_for(bad, FAILED)
        listener.wait_for(good, DONE)
    finally:
        queue.close()
    assert "the repository nobody/nothing does not exist" in failed.message
    assert listener.states[:2] == [(bad, QUEUED), (good, QUEUED)]


def test_cancel_while_running_deletes_the_partial(smollm2_hub, tmp_path):
    smollm2_hub.faults.throttle(20e6)
    listener = Recorder()
    queue = DownloadQueue(listener)
    try:
        job = queue.add(PullRequest.for_file(SMOLLM2_REPO, FILENAME, smollm2_hub.url, tmp_path))
        part = part_path(tmp_path / SMOLLM2_REPO / FILENAME)
        wait_until(lambda: part.exists() and part.stat().st_size > 1 << 20)
        queue.cancel(job)
        listener.wait_for(job, CANCELLED)
    finally:
        queue.close()
    assert not part.exists() and not (tmp_path / SMOLLM2_REPO / FILENAME).exists()


def test_a_download_interrupted_in_an_earlier_session_is_offered_again_and_continues(smollm2_hub, tmp_path):
    from dataclasses import replace

    from app.models.pull import interrupted_downloads

    smollm2_hub.faults.throttle(20e6)
    first_session = DownloadQueue(Recorder())
    job = first_session.add(PullRequest.for_file(SMOLLM2_REPO, FILENAME, smollm2_hub.url, tmp_path))
    part = part_path(tmp_path / SMOLLM2_REPO / FILENAME)
    wait_until(lambda: part.exists() and part.stat().st_size > 2 << 20)
    first_session.close()  # the app quits mid-download
    kept = part.stat().st_size
    assert first_session.jobs()[0].state == PAUSED and job == 1

    found = interrupted_downloads(tmp_path)
    assert [(r.repo, r.files, r.endpoint) for r in found] == [(SMOLLM2_REPO, (FILENAME,), smollm2_hub.url)]
    smollm2_hub.faults.clear()
    smollm2_hub.reset_log()
    listener = Recorder()
    second_session = DownloadQueue(listener)
    try:
        offered = second_session.add(replace(found[0], token=None), paused=True)
        assert listener.states == [(offered, PAUSED)]
        second_session.resume(offered)
        done = listener.wait_for(offered, DONE)
    finally:
        second_session.close()
    assert done.path.exists() and interrupted_downloads(tmp_path) == []
    assert smollm2_hub.bytes_served("cdn") == done.path.stat().st_size - kept
