"""The real window in a process of its own, driven line by line from stdin, for kill -9 tests.

    python -m tests.ui.window_process     (DESKSEEK_HOME and QT_QPA_PLATFORM=offscreen set)
prints "ready CONVERSATION_ID" once the embedded model is loaded, then for each line:
    attach PATH   drops PATH on the window as the user would; prints "attached N" (documents stored)
    send TEXT     types TEXT and presses Enter; prints "committed MESSAGE_ID" once the reply is done
It never exits by itself: the test kills it.
"""
from __future__ import annotations

import queue
import sys
import threading

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

import app.__main__ as entry
from runtime.types import GenerationOptions


def drive(window) -> None:
    """Called with the window `deskseek` has just built and started loading its model."""
    store, controller = window.store, window.controller
    controller.options = GenerationOptions(max_tokens=8, temperature=0.0)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in sys.stdin], daemon=True).start()
    state = {"ready": False, "waiting": None}

    def say(text: str) -> None:
        print(text, flush=True)

    def tick() -> None:
        if not state["ready"]:
            if window.model_status.property("state") == "ready":
                state["ready"] = True
                say(f"ready {controller.ensure_conversation('window process')}")
            return
        waiting = state["waiting"]
        if waiting is not None:
            if not waiting():
                return
            state["waiting"] = None
        try:
            command, _, argument = lines.get_nowait().partition(" ")
        except queue.Empty:
            return
        cid = controller.conversation_id
        if command == "attach":
            window.documents.attach([argument])
            state["waiting"] = lambda: (not window.documents.intake.reading_names(cid)
                                        and say(f"attached {len(store.documents(cid))}") is None)
        elif command == "send":
            window.composer.editor.setPlainText(argument)
            QTest.keyClick(window.composer.editor, Qt.Key.Key_Return)
            sent = [m for m in store.messages(cid) if m.role == "user"][-1]
            state["waiting"] = lambda: (controller.reply is None and not controller.preparing
                                        and say(f"committed {sent.id}") is None)

    window._test_driver = timer = QTimer(window)
    timer.timeout.connect(tick)
    timer.start(20)


def main() -> int:
    """The whole of `deskseek`'s start (logging, the one-window lock, the store, the model), driven."""
    start_model = entry.start_model

    def start_and_drive(window, explicit):
        start_model(window, explicit)
        if not hasattr(window, "_test_driver"):  # a later start_model (a second start's --model)
            drive(window)

    entry.start_model = start_and_drive
    return entry.run_window(None, [])


if __name__ == "__main__":
    sys.exit(main())
