"""A native crash leaves a report, and the next start offers it: the real window in real
processes, killed with a real signal from outside."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from app.crash_reports import KEEP_REPORTS, collect_reports
from app.ui.crash_notice import CrashNotice

ROOT = Path(__file__).resolve().parents[2]
# The second start: the real main(), whose event loop only reports what the window shows, then quits.
SHOW_NOTICE = """
import sys
from PySide6.QtWidgets import QApplication
from app.ui.main_window import MainWindow
def report_and_quit(self=None):
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    notice = getattr(window, "crash_notice", None)
    print("NOTICE:", notice.isVisible() and notice.label.text() if notice else None, flush=True)
    window.close()
    return 0
QApplication.exec = report_and_quit
from app.__main__ import main
sys.exit(main([]))
"""


def env_for(home: Path) -> dict:
    return {**os.environ, "DESKSEEK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}


def start_window(home: Path) -> subprocess.Popen:
    """The real window, up to its event loop: its faulthandler file names the Qt version once Qt is up."""
    proc = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env_for(home),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    run_file = home / "logs" / f"run-{proc.pid}.faulthandler.txt"
    deadline = time.monotonic() + 60
    while not (run_file.exists() and "platform plugin" in run_file.read_text()):
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the window did not start"
        time.sleep(0.1)
    time.sleep(1.0)  # into the event loop (a crash before it is reported the same way)
    return proc


def second_start(home: Path) -> str:
    out = subprocess.run([sys.executable, "-c", SHOW_NOTICE], cwd=ROOT, env=env_for(home),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return next(line for line in out.stdout.splitlines() if line.startswith("NOTICE:"))


def reports(home: Path) -> list[Path]:
    return sorted((home / "logs").glob("crash-*.txt"))


def test_a_segfault_leaves_a_report_that_the_next_start_offers(tmp_path):
    home = tmp_path / "home"
    window = start_window(home)
    os.kill(window.pid, signal.SIGSEGV)
    assert window.wait(timeout=30) == -signal.SIGSEGV  # faulthandler dumps, then lets the signal kill
    window.stderr.close()
    assert reports(home) == []  # kept only when the next run starts

    notice = second_start(home)
    [report] = reports(home)
    text = report.read_text()
    assert text.startswith("DeskSeek crash report")
    for fact in ("DeskSeek 0.1.0 (window)", f"Python {sys.version.split()[0]}", "PySide6 6.11.3",
                 "Qt 6.11.3, platform plugin offscreen", f"pid {window.pid}", "Platform: ",
                 "Fatal Python error: Segmentation fault", "most recent call first", "in run_window",
                 "deskseek.log", f"coredumpctl gdb {window.pid}"):
        assert fact in text, fact
    assert notice == f"NOTICE: DeskSeek closed unexpectedly last time. A crash report was saved: {report.name}"
    assert not (home / "logs" / f"run-{window.pid}.faulthandler.txt").exists()  # it became the report

    assert second_start(home) == "NOTICE: None"  # offered once; the report stays
    assert reports(home) == [report]


def test_a_clean_exit_or_a_kill_leaves_no_report(tmp_path):
    home = tmp_path / "home"
    assert second_start(home) == "NOTICE: None"
    [run_file] = (home / "logs").glob("run-*.faulthandler.txt")  # kept until the next start, marked
    assert "Closed cleanly at" in run_file.read_text()
    window = start_window(home)
    window.kill()  # SIGKILL: nothing can be written, nothing is claimed
    window.wait(timeout=30)
    window.stderr.close()
    assert second_start(home) == "NOTICE: None"
    assert reports(home) == []


def test_a_running_window_is_not_mistaken_for_a_crashed_one(tmp_path):
    home = tmp_path / "home"
    first = start_window(home)
    try:
        # A second start beside the live one (refused: one window per data folder) looks at the
        # log folder first, and must leave the live run's file alone.
        beside = subprocess.run([sys.executable, "-m", "app"], cwd=ROOT, env=env_for(home),
                                capture_output=True, text=True, timeout=120)
        assert beside.returncode == 0 and "already running" in beside.stderr, beside.stderr[-2000:]
        assert (home / "logs" / f"run-{first.pid}.faulthandler.txt").exists()
        assert reports(home) == []
        os.kill(first.pid, signal.SIGABRT)  # what qFatal does
        assert first.wait(timeout=30) == -signal.SIGABRT
    finally:
        first.kill()
        first.stderr.close()
    assert second_start(home).startswith("NOTICE: DeskSeek closed unexpectedly")
    assert "Fatal Python error: Aborted" in reports(home)[0].read_text()


def test_only_the_newest_reports_are_kept(tmp_path):
    for day in range(1, KEEP_REPORTS + 4):
        (tmp_path / f"crash-202611{day:02d}-120000.txt").write_text("a report")
    collect_reports(tmp_path, tmp_path / "deskseek.log")
    kept = sorted(p.name for p in tmp_path.glob("crash-*.txt"))
    assert len(kept) == KEEP_REPORTS and kept[0] == "crash-20261104-120000.txt"


class _Opened(QObject):
    def __init__(self):
        super().__init__()
        self.urls = []

    @Slot(QUrl)
    def open(self, url):
        self.urls.append(url)


def test_the_notice_opens_the_report_and_its_folder_and_goes_away(qtbot, tmp_path):
    report = tmp_path / "crash-20261129-150000.txt"
    report.write_text("DeskSeek crash report")
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")  # where the desktop's file opener would be
    try:
        notice = CrashNotice(report)
        qtbot.addWidget(notice)
        notice.show()
        notice.open_button.click()
        notice.folder_button.click()
        assert opened.urls == [QUrl.fromLocalFile(str(report)), QUrl.fromLocalFile(str(tmp_path))]
        notice.dismiss_button.click()
        assert not notice.isVisible() and report.exists()
    finally:
        QDesktopServices.unsetUrlHandler("file")


def test_the_notice_speaks_chinese(qtbot, qapp, tmp_path):
    from app.ui.i18n import install_language

    assert install_language(qapp, "zh_CN")
    try:
        notice = CrashNotice(tmp_path / "crash-20261129-150000.txt")
        qtbot.addWidget(notice)
        assert notice.label.text() == "DeskSeek 上次意外关闭，已保存崩溃报告：crash-20261129-150000.txt"
        assert [b.text() for b in (notice.open_button, notice.folder_button, notice.dismiss_button)] == [
            "打开报告", "显示文件夹", "关闭"]
    finally:
        install_language(qapp, "en")


def test_a_terminal_command_names_an_earlier_crash(tmp_path):
    from runtime.default_model import default_model_path

    home = tmp_path / "home"
    crash = ("import os, signal; from app.crash_reports import start_crash_watch; from app.paths import app_paths;"
             "start_crash_watch(app_paths(), 'deskseek chat'); os.kill(os.getpid(), signal.SIGSEGV)")
    died = subprocess.run([sys.executable, "-c", crash], cwd=ROOT, env=env_for(home), capture_output=True, timeout=60)
    assert died.returncode == -signal.SIGSEGV
    out = subprocess.run([sys.executable, "-m", "app", "plan", str(default_model_path())], cwd=ROOT,
                         env=env_for(home), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    [report] = reports(home)
    assert f"deskseek: an earlier run crashed; its report is {report}" in out.stderr
    assert "DeskSeek 0.1.0 (deskseek chat)" in report.read_text()


def test_without_a_program_to_open_it_the_notice_names_the_report(qtbot, tmp_path):
    """The offscreen platform, like a desktop without xdg-open, cannot open files."""
    report = tmp_path / "crash-20261129-150000.txt"
    report.write_text("DeskSeek crash report")
    notice = CrashNotice(report)
    qtbot.addWidget(notice)
    notice.open_button.click()
    assert notice.label.text() == f"No program could open it; the report is {report}"
