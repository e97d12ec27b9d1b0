"""Take the README's screenshots of the real window, driving it like a user, on the real model.

Run under a virtual X server (a real xcb window, not the offscreen plugin):
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python packaging/screenshots.py
Writes docs/screenshots/{main-window,dark-table,versions,documents,chinese-ui}.png from a throwaway
data directory, never the user's. Every reply in them is the embedded SmolLM2's own.
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


def open_window(app, store):
    from app.__main__ import start_model
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread
    from runtime.types import GenerationOptions

    window = MainWindow(store, RuntimeThread())
    window.resize(1180, 760)
    window.show()
    start_model(window, None)
    wait(app, lambda: window.model_status.property("state") in ("ready", "error"))
    window.controller.options = GenerationOptions(max_tokens=160, temperature=0.0)
    return window


def lease_pdf(path: Path) -> Path:
    """A three-page PDF, written by Qt, with one fact on its middle page."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QPainter, QPdfWriter

    filler = " ".join(f"Clause {i}: the tenant keeps the garden tidy and pays the rent on the first "
                      "day of the month." for i in range(25))
    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    for i, text in enumerate([filler, "Parking. The garage door code is 7421. Visitors park on the "
                              "street after 6 pm.", filler]):
        if i:
            writer.newPage()
        painter.drawText(QRectF(0, 0, 9000, 13000), Qt.TextFlag.TextWordWrap, text)
    painter.end()
    return path


def shoot(app, window, name: str) -> None:
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    window.grab().save(str(OUT / name))
    print(OUT / name)


def main() -> int:
    os.environ["DESKSEEK_HOME"] = tempfile.mkdtemp(prefix="deskseek-shots-")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from app.paths import app_paths
    from app.store import open_store
    from app.ui.i18n import install_language
    from app.ui.theme import apply_theme

    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication([sys.argv[0]])
    store = open_store(app_paths().database)
    apply_theme(app, "light")
    install_language(app, "en")  # as app.__main__ does: English with its plural forms
    window = open_window(app, store)
    ask(app, window, "你好！请用一句话介绍你自己。")
    window.new_chat()
    ask(app, window, "Write a Python function that checks whether a word is a palindrome.")
    shoot(app, window, "main-window.png")

    reply = [v for v in window.chat_view.messages() if v.role == "assistant"][-1]
    window.controller.options = window.controller.options.__class__(max_tokens=160, temperature=0.7, seed=8)
    reply.actions.buttons["regenerate"].click()
    wait(app, lambda: window.controller.reply is None)
    shoot(app, window, "versions.png")

    window.controller.options = window.controller.options.__class__(max_tokens=160, temperature=0.0)
    window.new_chat()
    ask(app, window, "Make a Markdown table of three fruits and their colors.")
    apply_theme(app, "dark")
    shoot(app, window, "dark-table.png")
    apply_theme(app, "light")

    window.new_chat()
    window.documents.attach([str(lease_pdf(Path(os.environ["DESKSEEK_HOME"]) / "lease.pdf"))])
    wait(app, lambda: bool(window.documents.strip.documents()))
    ask(app, window, "What is the garage door code?")
    shoot(app, window, "documents.png")
    window.close()

    install_language(app, "zh_CN")  # the window's texts are set when it is built
    chinese = open_window(app, store)
    ask(app, chinese, "请写一首关于春天的短诗。")
    shoot(app, chinese, "chinese-ui.png")
    chinese.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
