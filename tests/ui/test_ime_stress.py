"""Issue 11: the window vanished (segfault in libshiboken6) while Chinese was typed. Chinese typed
every way it arrives, while replies stream, in a process of its own (tests/ui/ime_stress.py), so
a native crash fails this test instead of killing pytest. bench/soak_ime.py runs it longer."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def type_chinese(tmp_path, rounds: int, seed: int) -> dict:
    env = {**os.environ, "DESKSEEK_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT), "PYTHONFAULTHANDLER": "1"}
    out = subprocess.run([sys.executable, "-m", "tests.ui.ime_stress", "--rounds", str(rounds), "--seed", str(seed)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if out.returncode < 0:
        pytest.fail(f"the window died of {signal.Signals(-out.returncode).name}:\n{out.stderr[-4000:]}")
    assert out.returncode == 0, out.stderr[-4000:]
    assert "Traceback" not in out.stderr, out.stderr[-4000:]  # a wrong wrapper shows first as an AttributeError
    return json.loads(out.stdout.splitlines()[-1])


def test_typing_chinese_while_replies_stream_does_not_crash_the_window(tmp_path):
    result = type_chinese(tmp_path, rounds=300, seed=9)
    assert result["actions"]["compose"] > 30 and result["actions"]["xdotool_char"] > 50
    assert result["replies_streamed"] >= 3 and result["sent_and_stored"]
    before, after = result["layout_item_wrappers"]
    assert after == before  # none left behind by messages that came and went


# PySide6's own fault, in twenty lines (reported upstream in the text of issue 11's report): the
# wrapper QLayout.itemAt() returns is kept as a child of the layout; Qt deletes the item when its
# widget leaves; the next object at that address is then released through the stale wrapper.
UPSTREAM_CRASH = """
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
class Kid(QObject):
    pass
app = QApplication([])
column = QWidget()
layout = QVBoxLayout(column)
for n in range(1000):
    labels = [QLabel("x") for _ in range(20)]
    for label in labels:
        layout.addWidget(label)
    for i in range(layout.count()):
        layout.itemAt(i) if READ_BACK else None
    for label in labels:
        label.setParent(None)
    del labels
    parent = QObject()
    for _ in range(50):
        Kid(parent)
    del parent
print("survived")
"""


@pytest.mark.parametrize("read_back", [False, True])
def test_pyside_still_crashes_after_layout_item_at(read_back):
    """While this holds, ChatView must not call QLayout.itemAt(). When a PySide6 upgrade makes the
    read-back run survive, the workaround may go (and this test with it). Whether the freed item's
    address is reused in time depends on the allocator (six runs in a row survived once on a busy
    machine at 200 rounds; three runs of 1,000 survived once inside the whole suite), so it runs
    1,000 rounds, up to six times: one crash shows the fault is there."""
    tries = 6 if read_back else 1
    # A clean environment: inside the whole suite the inherited one kept the crash from showing
    # in 2 of 3 runs (it shows every time alone, 0.2 s a run)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""), "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(tries):
        out = subprocess.run([sys.executable, "-c", f"READ_BACK = {read_back}\n" + UPSTREAM_CRASH], capture_output=True,
                             text=True, timeout=120, env=env)
        if out.returncode != 0:
            break
    if read_back:
        assert out.returncode == -signal.SIGSEGV, (out.returncode, out.stdout, out.stderr[-2000:])
    else:
        assert out.returncode == 0 and "survived" in out.stdout, out.stderr[-2000:]
