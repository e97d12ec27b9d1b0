"""The liveness check's edges on real processes: it sends no signal that a process could notice
(even one that catches them all), a process owned by another user is alive, a name holding ") Z ("
does not read as a zombie, and where /proc cannot tell, the signal's answer stands."""
import os
import subprocess
import sys
import time

import pytest

from app.store.liveness import _not_zombie, process_alive

# Catches every signal it can and says which one came; prints "ready" once it listens.
LISTENER = """
import signal, sys, time
def heard(number, _frame):
    print(number, flush=True)
    sys.exit(3)
for s in signal.valid_signals():
    if s not in (signal.SIGKILL, signal.SIGSTOP):
        try:
            signal.signal(s, heard)
        except (OSError, ValueError):
            pass
print("ready", flush=True)
time.sleep(30)
"""


def listener(*extra: str) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", "".join(extra) + LISTENER], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "ready\n"
    return child


def test_the_check_sends_nothing_even_a_process_that_catches_every_signal_would_hear():
    child = listener()
    try:
        assert process_alive(child.pid) is True
        time.sleep(0.2)
        assert child.poll() is None
    finally:
        child.kill()
        out, _ = child.communicate()
    assert out == ""  # no signal was heard


@pytest.mark.skipif(sys.platform != "linux", reason="prctl and /proc/PID/comm are Linux's")
def test_a_process_whose_name_holds_a_parenthesis_and_z_is_alive():
    """/proc/PID/stat shows the name in parentheses, unescaped: the state is after the last ")"."""
    name = "import ctypes; ctypes.CDLL(None).prctl(15, b'a) Z (b', 0, 0, 0)\n"  # PR_SET_NAME
    child = listener(name)
    try:
        with open(f"/proc/{child.pid}/comm", "rb") as f:
            assert f.read() == b"a) Z (b\n"
        assert process_alive(child.pid) is True
    finally:
        child.kill()
        child.wait()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become another user; as a user, pid 1 shows it")
def test_a_process_owned_by_another_user_is_alive():
    """As a user that may not signal it (PermissionError), this root-owned process still exists."""
    me = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child becomes nobody and asks about its root parent
        try:
            os.setgid(65534)
            os.setuid(65534)
            os._exit(0 if process_alive(me) is True else 1)
        finally:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_where_proc_cannot_tell_the_signals_answer_stands():
    """No /proc entry (macOS has no /proc; or the process left between the signal and the read):
    the process is taken as alive, as the signal said, rather than a reply marked crashed."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not os.path.exists(f"/proc/{child.pid}")
    assert _not_zombie(child.pid) is True
