"""GUI smoothness benchmark: the window's event loop while a long reply streams.

1. Stream 5,000 tokens at 100 tok/s (a scripted backend through the real Engine, runtime
   thread, controller, store and window) into a conversation that already holds 200 messages;
   a 5 ms timer on the GUI thread records the event-loop gaps. Anchor: the same timer with
   the window open and idle, measured in the same run.
2. Launch to a shown window: `deskseek` in a subprocess, until its first paint.
3. Enter to the first token painted, beyond the engine's own time to first token.
With --api instead: the window's local API server (Settings > Local API server, saving API
conversations on) streams the same reply to an HTTP client while the timer records the gaps; then a
window turn and an API stream at once, sharing the engine queue. Anchors: the idle window (server
on) and a window turn alone, in the same run.

    .venv/bin/python bench/bench_gui.py [--tokens 5000] [--rate 100] [--api]
Prints a table and appends it to bench/RESULTS.md with the command and the machine.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DESKSEEK_HOME"] = tempfile.mkdtemp(prefix="deskseek-bench-")


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure_gaps(app, seconds: float | None, until=None):
    from PySide6.QtCore import QElapsedTimer, QTimer

    clock = QElapsedTimer()
    clock.start()
    ticks = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))
    timer.start()
    end = time.monotonic() + (seconds or 1e9)
    while time.monotonic() < end and not (until and until()):
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return [b - a for a, b in zip(ticks, ticks[1:])]


def api_stream_benchmark(tokens: int, rate: float):
    """Gaps while an API client streams (its conversation saved by the window), then while a
    window turn and an API stream share the engine."""
    import http.client
    import json
    import socket
    import threading
    from dataclasses import replace

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.paths import app_paths
    from app.settings import Settings, save_settings
    from app.store import open_store
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread
    from runtime.default_model import default_model_path
    from runtime.types import GenerationOptions
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    app = QApplication.instance() or QApplication([])
    store = open_store(app_paths().database)
    conv = _conversation_of_200(store)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    save_settings(store, replace(Settings(), api_enabled=True, api_port=port))
    backend = ScriptedBackend(_pieces(tokens), delay_s=1.0 / rate, ctx=65536)
    window = MainWindow(store, RuntimeThread(scripted_engine(backend)))
    window.resize(1100, 720)
    window.show()
    window.controller.load_model(str(default_model_path()))
    while window.controller.model is None:
        app.processEvents()
    window.controller.options = GenerationOptions(max_tokens=tokens + 10)
    window.controller.open_conversation(conv.id)
    token = window.settings.api_token
    received = []

    def api_stream():
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        body = {"messages": [{"role": "user", "content": "Go"}], "max_tokens": tokens + 10, "stream": True}
        client.request("POST", "/v1/chat/completions", json.dumps(body),
                       {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = client.getresponse()
        pieces = 0
        for line in response:
            if line.startswith(b"data: {") and b'"content"' in line and b'"content": ""' not in line:
                pieces += 1
        received.append(pieces)
        client.close()

    idle = measure_gaps(app, 5.0)
    QTest.keyClicks(window.composer.editor, "Go")
    QTest.keyClick(window.composer.editor, Qt.Key.Key_Return)
    window_only = measure_gaps(app, None, until=lambda: window.controller.reply is None)
    caller = threading.Thread(target=api_stream)
    caller.start()
    api_only = measure_gaps(app, None, until=lambda: not caller.is_alive())
    caller = threading.Thread(target=api_stream)
    caller.start()
    QTest.keyClicks(window.composer.editor, "Go")
    QTest.keyClick(window.composer.editor, Qt.Key.Key_Return)
    both = measure_gaps(app, None, until=lambda: not caller.is_alive() and window.controller.reply is None)
    measure_gaps(app, 0.5)  # the last queued saves
    saved = [c for c in store.list_conversations() if c.origin == "api"]
    window.close()
    return idle, window_only, api_only, both, received, len(saved)


def _conversation_of_200(store):
    conv = store.create_conversation(title="Two hundred messages")
    for i in range(100):
        store.add_message(conv.id, "user", f"Question {i}: how does **Markdown** render `code`?")
        reply = store.start_reply(conv.id, parent_id=store.messages(conv.id)[-1].id, model="bench")
        store.finish_reply(reply.id, content=f"Answer {i}:\n\n```python\nprint({i})\n```\n\n- a\n- b\n",
                           finish_reason="stop")
    return conv


def _pieces(tokens: int) -> list[str]:
    words = ["The", " quick", " brown", " fox", " jumps", "\n\n", "```python\n", "x = 1\n", "```\n", " over"]
    return [words[i % len(words)] for i in range(tokens)]


def stream_benchmark(tokens: int, rate: float):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.store import open_store
    from app.paths import app_paths
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread
    from runtime.default_model import default_model_path
    from runtime.types import GenerationOptions
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    app = QApplication.instance() or QApplication([])
    store = open_store(app_paths().database)
    conv = _conversation_of_200(store)
    pieces = _pieces(tokens)
    backend = ScriptedBackend(pieces, delay_s=1.0 / rate)
    window = MainWindow(store, RuntimeThread(scripted_engine(backend)))
    window.resize(1100, 720)
    window.show()
    window.controller.load_model(str(default_model_path()))
    while window.controller.model is None:
        app.processEvents()
    window.controller.options = GenerationOptions(max_tokens=tokens + 10)
    window.sidebar.set_conversations(store.list_conversations(), None)
    window.controller.open_conversation(conv.id)
    idle = measure_gaps(app, 5.0)
    QTest.keyClicks(window.composer.editor, "Go")
    QTest.keyClick(window.composer.editor, Qt.Key.Key_Return)
    busy = measure_gaps(app, None, until=lambda: window.controller.reply is None)
    views = len(window.chat_view.messages())
    window.close()
    return idle, busy, views


def enter_to_first_paint(samples: int = 10):
    """Engine's own time to first token is subtracted: what is left is the window's share."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.paths import app_paths
    from app.store import open_store
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread
    from runtime.default_model import default_model_path
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    app = QApplication.instance()
    window = MainWindow(open_store(app_paths().database), RuntimeThread(scripted_engine(ScriptedBackend(["Hi"] * 3))))
    window.show()
    window.controller.load_model(str(default_model_path()))
    while window.controller.model is None:
        app.processEvents()
    results = []
    finished = []
    window.controller.turn_finished.connect(finished.append)
    for i in range(samples):
        window.controller.new_chat()
        QTest.keyClicks(window.composer.editor, f"q{i}")
        start = time.perf_counter()
        QTest.keyClick(window.composer.editor, Qt.Key.Key_Return)
        reply = window.controller.reply
        while reply.first_paint is None and window.controller.reply is not None:
            app.processEvents()
        painted = (reply.first_paint or time.perf_counter()) - start
        while window.controller.reply is not None:
            app.processEvents()
        results.append((painted - (finished[-1].time_to_first_token_s or 0)) * 1000)
    window.close()
    return results


def launch_to_shown(runs: int = 5):
    exe = Path(sys.executable).parent / "deskseek"
    env = {**os.environ, "DESKSEEK_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"}
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([str(exe)], env=env, stdout=subprocess.PIPE, text=True)
        for line in proc.stdout:
            if line.startswith("shown_after_s="):
                out.append(time.perf_counter() - start)
                break
        proc.wait(timeout=30)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--api", action="store_true", help="the window's API server streaming instead")
    args = parser.parse_args()
    if args.api:
        return api_main(args)
    idle, busy, views = stream_benchmark(args.tokens, args.rate)
    first = enter_to_first_paint()
    shown = launch_to_shown()
    rows = [
        ("event-loop gap p99, idle window (anchor)", f"{percentile(idle, 0.99):.1f} ms", ""),
        (f"event-loop gap p99, streaming {args.tokens} tok at {args.rate:g} tok/s", f"{percentile(busy, 0.99):.1f} ms", "< 20 ms"),
        ("event-loop gap max, streaming", f"{max(busy):.1f} ms", "< 50 ms"),
        ("p99 ratio streaming / idle", f"{percentile(busy, 0.99) / percentile(idle, 0.99):.2f}", ""),
        ("launch to shown window, median of 5", f"{statistics.median(shown) * 1000:.0f} ms", "< 1500 ms"),
        ("Enter to first token painted, beyond engine TTFT, median of 10", f"{statistics.median(first):.1f} ms", "< 50 ms"),
        ("message widgets in view (200 stored + 2 new)", str(views), "lazy: last 40"),
    ]
    width = max(len(r[0]) for r in rows)
    table = [f"| {'measure'.ljust(width)} | value | goal |", f"|{'-' * (width + 2)}|---|---|"]
    table += [f"| {name.ljust(width)} | {value} | {goal} |" for name, value, goal in rows]
    print("\n".join(table))
    machine = f"{platform.node()}: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as f:
        f.write(f"\n## GUI smoothness ({time.strftime('%Y-%m-%d %H:%M')})\n"
                f"`{' '.join(['.venv/bin/python', 'bench/bench_gui.py', *sys.argv[1:]])}` on {machine}; "
                "offscreen Qt, other jobs sharing the machine.\n\n" + "\n".join(table) + "\n")
    return 0


def api_main(args) -> int:
    idle, window_only, api_only, both, received, saved = api_stream_benchmark(args.tokens, args.rate)
    p99 = percentile(idle, 0.99)
    rows = [
        ("event-loop gap p99, idle window, API server on (anchor)", f"{p99:.1f} ms", ""),
        (f"event-loop gap p99, a window turn streaming {args.tokens} tok at {args.rate:g} tok/s (second anchor)",
         f"{percentile(window_only, 0.99):.1f} ms", "< 20 ms"),
        ("event-loop gap max, window turn", f"{max(window_only):.1f} ms", "< 50 ms"),
        (f"event-loop gap p99, an API client streaming {args.tokens} tok at {args.rate:g} tok/s, saved",
         f"{percentile(api_only, 0.99):.1f} ms", "< 20 ms"),
        ("event-loop gap max, API streaming", f"{max(api_only):.1f} ms", "< 50 ms"),
        ("p99 ratio API streaming / idle", f"{percentile(api_only, 0.99) / p99:.2f}", ""),
        ("event-loop gap p99, a window turn and an API stream sharing the engine",
         f"{percentile(both, 0.99):.1f} ms", "< 20 ms"),
        ("event-loop gap max, window turn + API stream", f"{max(both):.1f} ms", "< 50 ms"),
        ("content chunks each API client got / API conversations saved", f"{received} / {saved}",
         f"[{args.tokens}, {args.tokens}] / 2"),
    ]
    width = max(len(r[0]) for r in rows)
    table = [f"| {'measure'.ljust(width)} | value | goal |", f"|{'-' * (width + 2)}|---|---|"]
    table += [f"| {name.ljust(width)} | {value} | {goal} |" for name, value, goal in rows]
    print("\n".join(table))
    machine = f"{platform.node()}: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as f:
        f.write(f"\n## GUI smoothness with the window's API server streaming ({time.strftime('%Y-%m-%d %H:%M')})\n"
                f"`{' '.join(['.venv/bin/python', 'bench/bench_gui.py', *sys.argv[1:]])}` on {machine}; "
                "offscreen Qt, a scripted backend through the real Engine, EngineQueue, server and window, "
                "other jobs sharing the machine.\n\n" + "\n".join(table) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
