"""DeskSeek's composition root: paths, logging, the store, the runtime thread, the window.

`deskseek` opens the window; `deskseek plan|chat|generate …` runs the terminal commands of
`python -m runtime` for people and scripts without a window.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from app.version import deskseek_version

TERMINAL_COMMANDS = {"plan", "chat", "generate"}
STARTUP_PROBE_ENV = "DESKSEEK_STARTUP_PROBE"  # bench/bench_gui.py: print when shown, then quit
_T0 = time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in TERMINAL_COMMANDS:
        from runtime.cli import main as runtime_main

        return runtime_main(argv)
    wants_help = bool({"-h", "--help"} & set(argv))  # the commands' list is built only when shown
    parser = argparse.ArgumentParser(prog="deskseek", description="Private, offline chat with local models.",
                                     epilog=terminal_commands_help() if wants_help else None,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="a GGUF file, a Hugging Face folder or a server URL to load instead of the remembered one")
    parser.add_argument("--version", action="version", version=f"DeskSeek {deskseek_version()}")
    args, qt_args = parser.parse_known_args(argv)
    return run_window(args.model, qt_args)


def terminal_commands_help() -> str:
    """One line per terminal command, in the words of its own parser."""
    from runtime.cli import command_summaries

    summaries = command_summaries()
    width = max(map(len, TERMINAL_COMMANDS))
    lines = [f"  deskseek {name:<{width}}  {summaries.get(name, '')}" for name in sorted(TERMINAL_COMMANDS)]
    return "terminal commands (deskseek COMMAND --help for each):\n" + "\n".join(lines)


def run_window(model: str | None, qt_args: list[str]) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.paths import app_paths
    from app.store import StoreError, open_store
    from app.ui.main_window import MainWindow
    from app.settings import load_settings
    from app.ui.runtime_thread import RuntimeThread
    from app.ui.settings_dialog import apply_settings

    paths = app_paths()
    _setup_logging(paths.log_file)
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("DeskSeek")
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
    if os.environ.get(STARTUP_PROBE_ENV):
        _report_when_shown(app, window)
    start_model(window, model)
    code = app.exec()
    store.close()
    if not getattr(window, "runtime_stopped", True):
        # A load that cannot be abandoned is still running: leave without waiting for it
        # (everything the user typed is already committed).
        logging.getLogger(__name__).warning("runtime thread still busy at exit; leaving anyway")
        logging.shutdown()
        os._exit(code)
    return code


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
    controller.load_model(path, window.settings.to_plan_preferences())


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
