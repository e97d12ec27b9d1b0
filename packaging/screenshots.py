"""Take the README's screenshots of the real window, driving it like a user, on the real model.

Run under a virtual X server (a real xcb window, not the offscreen plugin):
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python packaging/screenshots.py
Writes docs/screenshots/*.png. Uses a throwaway data directory, never the user's.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def wait(app, condition, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
        time.sleep(0.01)


def ask(app, window, text: str) -> None:
    from PySide6.QtGui import QInputMethodEvent

    event = QInputMethodEvent()
    event.setCommitString(text)  # as an input method types it (Chinese included)
    app.sendEvent(window.composer.editor, event)
    window.composer.send_button.click()
    wait(app, lambda: window.controller.reply is None)


def main() -> int:
    os.environ["DESKSEEK_HOME"] = tempfile.mkdtemp(prefix="deskseek-shots-")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from app.__main__ import start_model
    from app.paths import app_paths
    from app.store import open_store
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread
    from resources import read_text
    from runtime.types import GenerationOptions

    app = QApplication([sys.argv[0]])
    app.setStyleSheet(read_text("style.qss"))
    window = MainWindow(open_store(app_paths().database), RuntimeThread())
    window.resize(1180, 760)
    window.show()
    start_model(window, None)
    wait(app, lambda: window.model_status.property("state") in ("ready", "error"))
    window.controller.options = GenerationOptions(max_tokens=120, temperature=0.0)
    ask(app, window, "你好！请用一句话介绍你自己。")
    window.new_chat()
    ask(app, window, "Write a Python function that checks whether a word is a palindrome.")
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "main-window.png"
    window.grab().save(str(target))
    print(target)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
