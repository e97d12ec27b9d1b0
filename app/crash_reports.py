"""A native crash leaves a report: faulthandler writes the Python stacks of every thread into a
file in the log folder, and the next start keeps that file as `crash-YYYYmmdd-HHMMSS.txt`.

Each run writes its own `run-<pid>.faulthandler.txt`, held with flock for the life of the
process, so a second DeskSeek on the same folder never mistakes a live run's file for a dead
one's (the kernel drops the lock when the process dies, however it dies). A clean exit appends
a line saying so instead of deleting the file: faulthandler keeps writing to it until the very
end, so a crash while Python shuts Qt down is caught too.

What is captured is what can be written safely from a signal handler without extra
dependencies: faulthandler's dump (the fatal signal, the Python stack of every thread, the
loaded extension modules). Python 3.11's faulthandler cannot print the C/C++ frames, and a
handler written in Python (ctypes + glibc's backtrace) would run Python inside the signal
handler, which is not safe; the report says how to get the native frames instead.
"""
from __future__ import annotations

import atexit
import faulthandler
import importlib.metadata
import logging
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from app.paths import AppPaths

try:
    import fcntl
except ImportError:  # Windows: no flock, so no way to tell a live run's file from a dead one's
    fcntl = None

KEEP_REPORTS = 10
LOG_TAIL_LINES = 60
RUN_GLOB = "run-*.faulthandler.txt"
REPORT_GLOB = "crash-*.txt"
FATAL = "Fatal Python error"  # how every faulthandler dump of a fatal signal or error begins
CLEAN = "Closed cleanly at"
# Variables that decide how keys and input methods reach Qt: the reported crash was in typing.
SESSION_VARIABLES = ("QT_QPA_PLATFORM", "XDG_SESSION_TYPE", "WAYLAND_DISPLAY", "DISPLAY", "QT_IM_MODULE",
                     "XMODIFIERS", "GTK_IM_MODULE", "LANG", "LC_ALL")
NATIVE_ADVICE = """\
--- Native (C/C++) frames ---
faulthandler records the Python stack of every thread; Python 3.11 cannot add the C/C++ frames from
inside a crashing process. To get them: if systemd-coredump keeps core dumps, run
  coredumpctl gdb {pid}      then type: thread apply all bt
or start DeskSeek under gdb and repeat what crashed it:
  gdb -batch -ex run -ex "thread apply all bt" --args {python} -m app
"""

log = logging.getLogger(__name__)


@dataclass
class CrashWatch:
    """This run's faulthandler file, and the reports that earlier runs left behind."""

    run_file: Path
    found: list[Path] = field(default_factory=list)  # newest first
    _stream: IO[str] | None = None
    closed_clean: bool = False

    def note(self, line: str) -> None:
        """One more header line, known only later (the Qt version once Qt is loaded)."""
        if self._stream is not None:
            self._stream.write(line + "\n")
            self._stream.flush()

    def close_clean(self) -> None:
        """Mark the run as ended on purpose. faulthandler stays on, writing after this line, so a
        crash during interpreter shutdown is still reported at the next start."""
        if not self.closed_clean:
            self.closed_clean = True
            self.note(f"{CLEAN} {_stamp(time.time())}")


_active: CrashWatch | None = None  # faulthandler writes to a raw fd: its file must outlive every caller


def start_crash_watch(paths: AppPaths, role: str) -> CrashWatch | None:
    """Keep what dead runs left behind, then arm faulthandler for this run. None (with a log line)
    when the log folder cannot be written: a crash report must never stop DeskSeek from starting."""
    global _active
    if fcntl is None:
        log.info("no crash reports on this platform (they need flock)")
        return None
    log_dir = paths.log_dir
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        found = collect_reports(log_dir, paths.log_file)
        run_file, n = log_dir / f"run-{os.getpid()}.faulthandler.txt", 1
        while run_file.exists():  # a reused pid whose dead run could not be kept this time: keep it for later
            n += 1
            run_file = log_dir / f"run-{os.getpid()}-{n}.faulthandler.txt"
        stream = open(run_file, "x", encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        log.warning("no crash reports this run: %s", exc)
        return None
    fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # our own new file: always free
    stream.write(header(role))
    stream.flush()
    faulthandler.enable(file=stream, all_threads=True)
    _active = CrashWatch(run_file, found, stream)
    atexit.register(_active.close_clean)  # not run by os._exit: call close_clean before it
    return _active


def header(role: str) -> str:
    lines = [
        f"DeskSeek {_version('deskseek')} ({role})",
        f"Python {platform.python_version()} ({platform.python_implementation()}) {sys.executable}",
        f"PySide6 {_version('PySide6-Essentials', 'PySide6')}, shiboken6 {_version('shiboken6')}",
        f"Platform: {platform.platform()}",
        f"Process: pid {os.getpid()}, started {_stamp(time.time())}",
        "Session: " + ", ".join(f"{k}={os.environ[k]}" for k in SESSION_VARIABLES if k in os.environ),
    ]
    return "\n".join(lines) + "\n"


def collect_reports(log_dir: Path, log_file: Path) -> list[Path]:
    """Turn the files of runs that died with a dump into reports; forget clean ones. Newest first."""
    kept = []
    for run_file in sorted(log_dir.glob(RUN_GLOB)):
        report = _adopt(run_file, log_dir, log_file)
        if report is not None:
            kept.append(report)
    _prune(log_dir)
    return sorted((p for p in kept if p.exists()), key=lambda p: p.name, reverse=True)


def _adopt(run_file: Path, log_dir: Path, log_file: Path) -> Path | None:
    fd = _lock_if_dead(run_file)
    if fd is None:
        return None
    try:
        with os.fdopen(os.dup(fd), encoding="utf-8", errors="replace") as f:
            text = f.read()
        died_at = os.fstat(fd).st_mtime  # faulthandler's write is the last thing a crashed run does
        start = text.find(FATAL)
        if start < 0:
            if CLEAN not in text:
                log.info("the previous run ended without closing and without a crash dump "
                         "(killed, or the machine stopped):\n%s", text.strip())
            run_file.unlink()
            return None
        report = _free_name(log_dir, died_at)
        pid = run_file.name.split("-")[1].split(".")[0]
        partial = report.with_suffix(".partial")
        partial.write_text(_report_text(text[:start], text[start:], log_file, pid), encoding="utf-8")
        os.replace(partial, report)
        run_file.unlink()  # only once the report is whole: a report is never lost
        log.info("the previous run crashed; its report is %s", report)
        return report
    except OSError as exc:  # left in place: the next start tries again
        log.warning("could not keep the crash report of %s: %s", run_file, exc)
        return None
    finally:
        os.close(fd)


def _lock_if_dead(run_file: Path) -> int | None:
    """An fd holding the run file's lock when its process is gone; None while it runs, or when
    another starting DeskSeek took the file first."""
    try:
        fd = os.open(run_file, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.stat(run_file).st_ino == os.fstat(fd).st_ino:
            return fd
    except OSError:  # locked: its process is alive; or gone since it was opened
        pass
    os.close(fd)
    return None


def _report_text(head: str, dump: str, log_file: Path, pid: str) -> str:
    return "".join([
        "DeskSeek crash report\n\n", head.rstrip() + "\n\n",
        "--- What faulthandler wrote as the process died ---\n", dump.rstrip() + "\n\n",
        f"--- The last {LOG_TAIL_LINES} lines of {log_file.name} ---\n", _log_tail(log_file), "\n",
        NATIVE_ADVICE.format(pid=pid, python=sys.executable),
    ])


def _log_tail(log_file: Path) -> str:
    try:
        with open(log_file, "rb") as f:
            f.seek(max(0, f.seek(0, os.SEEK_END) - 64 * 1024))
            lines = f.read().decode("utf-8", "replace").splitlines()[-LOG_TAIL_LINES:]
    except OSError:
        return "(no log file)\n"
    return "\n".join(lines) + "\n" if lines else "(empty)\n"


def _free_name(log_dir: Path, when: float) -> Path:
    base = "crash-" + time.strftime("%Y%m%d-%H%M%S", time.localtime(when))
    candidate, n = log_dir / f"{base}.txt", 1
    while candidate.exists():
        n += 1
        candidate = log_dir / f"{base}-{n}.txt"
    return candidate


def _prune(log_dir: Path) -> None:
    """Keep the KEEP_REPORTS newest reports (the name starts with when it happened)."""
    for old in sorted(log_dir.glob(REPORT_GLOB), key=lambda p: p.name, reverse=True)[KEEP_REPORTS:]:
        try:
            old.unlink()
        except OSError:
            pass


def _version(*distributions: str) -> str:
    for name in distributions:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"


def _stamp(when: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(when))
