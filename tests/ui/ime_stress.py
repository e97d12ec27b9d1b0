"""Chinese typed into the real window, every way it arrives, while replies stream: the hunt for
the libshiboken6 segfault of issue 11 (the window vanished while xdotool typed Chinese one
character at a time).

Run as its own process, so that a native crash ends only it and shows as a signal exit:
    python -m tests.ui.ime_stress --rounds 2000 --seed 1
It prints one JSON line: what it did, every sent message checked against the store, and the
reference counts of True/False/None before and after (a binding that loses references to them
crashes only much later, so a drift is the early sign).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DESKSEEK_HOME", tempfile.mkdtemp(prefix="deskseek-ime-stress-"))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QTextCharFormat  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidgetItem  # noqa: E402
from shiboken6 import Shiboken  # noqa: E402

HANZI = "你好世界请介绍一下自己中文输入法测试崩溃报告我们的模型回答问题谢谢再见"
PINYIN = ["ni", "hao", "shi", "jie", "qing", "jie", "shao", "zhong", "wen", "shu", "ru", "fa"]
REPLY = ["好的", "，", "**这是**", "一个", "回答。\n\n", "```python\n", "print('你好')\n", "```\n", "然后", "`代码`",
         " 和 ", "| a | b |\n|---|---|\n| 1 | 2 |\n", "<think>想一想</think>", "结束。"]
KEYS = [Qt.Key.Key_Backspace, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End,
        Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Delete, Qt.Key.Key_Space]
QUERIES = [Qt.InputMethodQuery.ImCursorRectangle, Qt.InputMethodQuery.ImSurroundingText,
           Qt.InputMethodQuery.ImCursorPosition, Qt.InputMethodQuery.ImAnchorPosition, Qt.InputMethodQuery.ImTextBeforeCursor,
           Qt.InputMethodQuery.ImTextAfterCursor, Qt.InputMethodQuery.ImHints, Qt.InputMethodQuery.ImFont,
           Qt.InputMethodQuery.ImEnabled, Qt.InputMethodQuery.ImInputItemClipRectangle]
# Not ImCurrentSelection: PySide6 6.11.3 cannot convert QPlainTextEdit's answer (a RuntimeError naming
# QInputControl::selectionWrapper's MimeDataSelection); Qt's own input method still asks for it in C++.
NO_MODS = Qt.KeyboardModifier.NoModifier


class Typist:
    """Each method is one way text or keys reach the composer on a real desktop."""

    def __init__(self, app, window, rng: random.Random) -> None:
        self.app, self.window, self.rng = app, window, rng
        self.editor = window.composer.editor
        self.sent: list[str] = []
        self.counts: Counter = Counter()

    def key(self, key, text: str = "", mods=NO_MODS) -> None:
        """Through the QWindow, as the platform delivers it: shortcut map first, then the focus widget."""
        handle = self.window.windowHandle()
        QTest.sendKeyEvent(QTest.KeyAction.Press, handle, key, text, mods)
        QTest.sendKeyEvent(QTest.KeyAction.Release, handle, key, text, mods)

    def xdotool_char(self) -> None:
        """xdotool without an input method: a remapped key whose text is the character itself."""
        ch = self.rng.choice(HANZI)
        self.key(Qt.Key(ord(ch)), ch)

    def compose(self) -> None:
        """An IME: pinyin preedit growing letter by letter, its cursor, then the committed hanzi."""
        pinyin = self.rng.choice(PINYIN)
        for end in range(1, len(pinyin) + 1):
            self._preedit(pinyin[:end])
            self.query()
        commit = "".join(self.rng.choice(HANZI) for _ in range(self.rng.randint(1, 4)))
        event = QInputMethodEvent()
        event.setCommitString(commit)
        QApplication.sendEvent(self.editor, event)

    def cancel_compose(self) -> None:
        self._preedit(self.rng.choice(PINYIN))
        QApplication.sendEvent(self.editor, QInputMethodEvent("", []))

    def replace_commit(self) -> None:
        """Some IMEs correct the character before the cursor: a commit with a replacement range."""
        event = QInputMethodEvent()
        event.setCommitString(self.rng.choice(HANZI), -1, 1)
        QApplication.sendEvent(self.editor, event)

    def plain_key(self) -> None:
        self.key(self.rng.choice(KEYS), " " if self.rng.random() < 0.1 else "")

    def new_line(self) -> None:
        self.key(Qt.Key.Key_Return, "\r", Qt.KeyboardModifier.ShiftModifier)

    def select_all_and_type(self) -> None:
        self.key(Qt.Key.Key_A, "", Qt.KeyboardModifier.ControlModifier)
        self.xdotool_char()

    def send(self) -> None:
        text = self.editor.toPlainText().strip()
        streaming = self.window.controller.reply is not None
        self.key(Qt.Key.Key_Return, "\r")
        if text and not streaming and not self.editor.toPlainText().strip():
            self.sent.append(text)

    def stop(self) -> None:
        self.key(Qt.Key.Key_Escape)

    def new_chat(self) -> None:
        self.key(Qt.Key.Key_N, "", Qt.KeyboardModifier.ControlModifier)

    def query(self) -> None:
        """What Qt's input method asks after every change (where to put the candidate window)."""
        for q in QUERIES:
            self.editor.inputMethodQuery(q)
        QGuiApplication.inputMethod().update(Qt.InputMethodQuery.ImQueryAll)

    def _preedit(self, text: str) -> None:
        underline = QTextCharFormat()
        underline.setFontUnderline(True)
        attrs = [QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.TextFormat, 0, len(text), underline),
                 QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.Cursor, len(text), 1, 0)]
        QApplication.sendEvent(self.editor, QInputMethodEvent(text, attrs))

    def step(self) -> None:
        action = self.rng.choices(
            [self.xdotool_char, self.compose, self.cancel_compose, self.replace_commit, self.plain_key,
             self.new_line, self.select_all_and_type, self.send, self.stop, self.new_chat, self.query],
            weights=[30, 20, 4, 4, 12, 3, 2, 8, 2, 1, 6])[0]
        action()
        self.counts[action.__name__] += 1
        if len(self.editor.toPlainText()) > 300:  # keep layout cheap: a long line makes every key O(n)
            self.send()
        if self.rng.random() < 0.3:
            QTest.qWait(self.rng.randint(0, 3))  # let the reply paint between keys
        else:
            self.app.processEvents()


def layout_item_wrappers() -> int:
    """Python wrappers of QWidgetItems. Qt deletes an item without telling shiboken when its widget
    leaves the layout, so a wrapper kept past that may come to stand for an unrelated object at the
    same address: the crash of issue 11. The window's fixed rows have a few; use must not add more."""
    return sum(isinstance(w, QWidgetItem) for w in Shiboken.getAllValidWrappers())


def stored_user_messages(store) -> list[str]:
    out = []
    for conversation in store.list_conversations():
        out += [m.content for m in store.messages(conversation.id) if m.role == "user"]
    return out


def run(rounds: int, seed: int) -> dict:
    from app.__main__ import start_model
    from app.paths import app_paths
    from app.store import open_store
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread
    from runtime.default_model import default_model_path
    from runtime.types import GenerationOptions
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    app = QApplication.instance() or QApplication([])
    store = open_store(app_paths().database)
    backend = ScriptedBackend(REPLY * 40, delay_s=0.001)  # about a second of streaming per reply
    window = MainWindow(store, RuntimeThread(scripted_engine(backend)))
    window.show()
    start_model(window, str(default_model_path()))
    deadline = time.monotonic() + 60
    while window.controller.model is None and time.monotonic() < deadline:
        QTest.qWait(20)
    try:  # a Python error closes the window properly: only a native crash may end in a signal
        window.controller.options = GenerationOptions(max_tokens=100_000)
        window.activateWindow()
        window.composer.editor.setFocus()
        gc.collect()
        refs_before = [sys.getrefcount(x) for x in (True, False, None)]
        items_before = layout_item_wrappers()
        typist = Typist(app, window, random.Random(seed))
        started = time.monotonic()
        for _ in range(rounds):
            typist.step()
        window.controller.stop()
        while window.controller.reply is not None and time.monotonic() - started < rounds:
            QTest.qWait(20)
        gc.collect()
        refs_after = [sys.getrefcount(x) for x in (True, False, None)]
        return {
            "rounds": rounds, "seed": seed, "seconds": round(time.monotonic() - started, 2),
            "actions": dict(typist.counts), "sent": len(typist.sent), "replies_streamed": len(backend.prompts),
            "sent_and_stored": sorted(typist.sent) == sorted(stored_user_messages(store)),
            "refs_true_false_none": [refs_before, refs_after], "layout_item_wrappers": [items_before, layout_item_wrappers()],
        }
    finally:
        window.close()
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(run(args.rounds, args.seed), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
