"""Whether the process that started a reply still runs, checked on real processes: this one, a
running child (left running by the check), a killed child not yet reaped, one that is gone."""
import os
import signal
import subprocess
import sys
import time

from app.store.liveness import process_alive


def test_no_pid_is_no_process():
    assert [process_alive(p) for p in (None, 0, -5)] == [False, False, False]


def test_this_process_and_a_running_child_are_alive_and_the_check_leaves_it_running():
    assert process_alive(os.getpid())
    # (not pid 1: a mutant of the check that sends a real signal would send it to init; another
    # user's process is test_liveness_details.py's)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert process_alive(child.pid)
        time.sleep(0.2)
        assert child.poll() is None                              # signal 0 only: nothing was sent
    finally:
        child.kill()
        child.wait()


def test_a_killed_child_is_dead_before_and_after_it_is_reaped():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    os.kill(child.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while process_alive(child.pid) and time.monotonic() < deadline:   # a zombie until reaped
        time.sleep(0.05)
    assert not process_alive(child.pid)
    child.wait()
    assert not process_alive(child.pid)
