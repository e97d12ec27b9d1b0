"""DeskSeek's composition root: paths, logging, the store, the runtime thread, the window.

`deskseek` opens the window; `deskseek plan|generate …` runs the terminal commands of
`python -m runtime` for people and scripts without a window; `deskseek chat` chats in the terminal
with the window's turn (app.chat.cli); `deskseek pull …` downloads a model
(app.models.pull_cli); `deskseek models search|files …` and `deskseek plan hf://…` look at the Hub
before downloading (app.models.cli); `deskseek passages FILE… --question …` shows the passages of
documents a question would be sent with (app.documents.passages_cli); `deskseek serve` serves a
model over a local OpenAI-compatible API (app.api.serve_cli).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from app.version import deskseek_version

RUNTIME_COMMANDS = {"plan", "generate"}  # python -m runtime's own
APP_COMMANDS = {"chat": "app.chat.cli",  # terminal commands that need the app's own packages
                "pull": "app.models.pull_cli",
                "models": "app.models.cli",
                "passages": "app.documents.passages_cli",
                "serve": "app.api.serve_cli"}
TERMINAL_COMMANDS = RUNTIME_COMMANDS | {"chat", "serve"}  # each leaves a crash report should it crash
STARTUP_PROBE_ENV = "DESKSEEK_STARTUP_PROBE"  # bench/bench_gui.py: print when shown, then quit
_T0 = time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["plan"] and any(a.startswith("hf://") for a in argv[1:]):  # a GGUF on the Hub
        from app.models.cli import plan_main

        return plan_main(argv[1:])
    if argv and argv[0] in TERMINAL_COMMANDS:
        _watch_terminal_command(argv[0])
    if argv and argv[0] in RUNTIME_COMMANDS | set(APP_COMMANDS):
        # What the readers and the runtime log goes to the log file, as the window's does: a
        # terminal shows the command's own sentences, not warnings and tracebacks before them.
        from app.paths import app_paths

        _setup_logging(app_paths().log_file)
    if argv and argv[0] in RUNTIME_COMMANDS:
        from runtime.cli import main as runtime_main

        return runtime_main(argv)
    if argv and argv[0] in APP_COMMANDS:
        import importlib

        return importlib.import_module(APP_COMMANDS[argv[0]]).main(argv[1:])
    wants_help = bool({"-h", "--help"} & set(argv))  # the commands' list is built only when shown
    parser = argparse.ArgumentParser(prog="deskseek", description="Private, offline chat with local models.",
                                     epilog=terminal_commands_help() if wants_help else None,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="a GGUF file, a Hugging Face folder or a server URL to load instead of the remembered one")
    parser.add_argument("--version", action="version", version=f"DeskSeek {deskseek_version()}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this install (Qt, the history database, the window, the embedded model, "
                             "llama.cpp, the Hub client, PDF reading) offscreen in a temporary folder; exit 0 "
                             "when all is well")
    args, qt_args = parser.parse_known_args(argv)
    if args.self_test:
        from app.self_test import run_self_test

        return run_self_test()
    return run_window(args.model, qt_args)


def terminal_commands_help() -> str:
    """One line per terminal command, in the words of its own parser."""
    from runtime.cli import command_summaries

    import importlib

    summaries = command_summaries()
    for name, module in APP_COMMANDS.items():  # their parsers' first sentence
        description = importlib.import_module(module).build_parser().description or ""
        summaries[name] = description.split(": ")[0].split(". ")[0].rstrip(".")
    names = sorted(TERMINAL_COMMANDS | set(APP_COMMANDS))
    width = max(map(len, names))
    lines = [f"  deskseek {name:<{width}}  {summaries.get(name, '')}" for name in names]
    return "terminal commands (deskseek COMMAND --help for each):\n" + "\n".join(lines)


def run_window(model: str | None, qt_args: list[str]) -> int:
    from app.crash_reports import start_crash_watch
    from app.paths import app_paths

    paths = app_paths()
    _setup_logging(paths.log_file)
    crashes = start_crash_watch(paths, "window")  # before Qt loads: its import can crash too

    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from resources import RESOURCES
    from app.store import StoreError, open_store
    from app.ui.main_window import MainWindow
    from app.settings import load_settings
    from app.ui.runtime_thread import RuntimeThread
    from app.ui.settings_dialog import apply_settings
    from app.ui.single_instance import SingleInstance

    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("DeskSeek")
    app.setDesktopFileName("deskseek")  # the launcher entry packaging/install.sh puts in place
    app.setWindowIcon(QIcon(str(RESOURCES / "deskseek.svg")))
    if crashes:
        crashes.note(f"Qt {qVersion()}, platform plugin {app.platformName()}")
    instance = SingleInstance(paths.data_dir)
    if not instance.acquire():
        return _already_running(instance, paths.data_dir, model)
    instance.listen()
    try:
        store = open_store(paths.database)
    except StoreError as exc:
        QMessageBox.critical(None, "DeskSeek", str(exc))
        return 1
    apply_settings(app, load_settings(store))  # theme and language before the first widget
    runtime = RuntimeThread()
    try:
        window = MainWindow(store, runtime)
    except StoreError as exc:  # a database whose damage shows only when it is read
        runtime.stop()
        QMessageBox.critical(None, "DeskSeek", str(exc))
        store.close()
        return 1
    window.show()
    instance.activated.connect(lambda asked: _come_to_front(window, asked))
    if crashes and crashes.found:
        window.offer_crash_report(crashes.found[0])
    if os.environ.get(STARTUP_PROBE_ENV):
        _report_when_shown(app, window)
    start_model(window, model)
    code = app.exec()
    store.close()
    instance.release()
    if not getattr(window, "runtime_stopped", True):
        # A load that cannot be abandoned is still running: leave without waiting for it
        # (everything the user typed is already committed).
        logging.getLogger(__name__).warning("runtime thread still busy at exit; leaving anyway")
        if crashes:
            crashes.close_clean()  # os._exit skips atexit
        logging.shutdown()
        os._exit(code)
    return code


def _already_running(instance, data_dir: Path, model: str | None) -> int:
    """A second start on the same data folder: the first window comes to the front instead."""
    from runtime.loading import is_server_url

    if model and not is_server_url(model):
        model = str(Path(model).expanduser().resolve())  # the first window has its own working folder
    if instance.ask_first_to_show(model):
        print("DeskSeek is already running; its window was brought to the front.", file=sys.stderr)
        return 0
    message = (f"DeskSeek is already running (process {instance.owner_pid()}) on {data_dir}, but its window "
               "did not answer. Close that window, or end that process, then start DeskSeek again.")
    print(message, file=sys.stderr)
    if os.environ.get("QT_QPA_PLATFORM", "") not in ("offscreen", "minimal"):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, "DeskSeek", message)
    return 1


def _come_to_front(window, model: str) -> None:
    logging.getLogger(__name__).info("a second start brought the window to the front%s",
                                     f" to open {model}" if model else "")
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    if model:
        start_model(window, model)


def start_model(window, explicit: str | None) -> None:
    """Load the model the user asked for, else the remembered one, else the embedded default."""
    from PySide6.QtCore import QCoreApplication

    from runtime.default_model import default_model_path
    from runtime.loading import is_server_url

    controller = window.controller
    remembered = window.store.get_setting("model_path")
    default = default_model_path()
    path = explicit or remembered or (str(default) if default else None)
    if path is None:
        controller.model_state_changed.emit("error", QCoreApplication.translate(
            "Startup", "No model yet: choose a GGUF file with File > Open model (Ctrl+O), or a Hugging Face "
            "folder with File > Open model folder (Ctrl+Shift+O)."))
        return
    is_url = bool(remembered) and is_server_url(remembered)
    if not explicit and remembered and not is_url and not Path(remembered).exists() and default:
        window.show_notice(QCoreApplication.translate(
            "Startup", "The model you used last, %1, is gone; using the embedded default.").replace("%1", remembered),
            "startup")  # not "model": the default's load would clear it at once
        path = str(default)
    window.load_model(path)


def _watch_terminal_command(command: str) -> None:
    """`deskseek chat` and friends leave crash reports too; the next start names them."""
    from app.crash_reports import start_crash_watch
    from app.paths import app_paths

    crashes = start_crash_watch(app_paths(), f"deskseek {command}")
    for report in crashes.found if crashes else []:
        print(f"deskseek: an earlier run crashed; its report is {report}", file=sys.stderr)


def _report_when_shown(app, window) -> None:
    """For the startup benchmark: the first paint of the window ends the run."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                print(f"shown_after_s={time.perf_counter() - _T0:.3f}", flush=True)
                obj.removeEventFilter(self)
                QTimer.singleShot(0, window.close)
            return False

    window._first_paint = _FirstPaint(window)
    window.installEventFilter(window._first_paint)


def _setup_logging(log_file: Path) -> None:
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    logging.basicConfig(level=logging.INFO, handlers=[handler],
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


if __name__ == "__main__":
    sys.exit(main())
