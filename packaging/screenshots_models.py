"""Take the README's screenshots of the Models page: the catalog, a Hub repo planned for this
machine with a download in progress, and the library of models other apps left on the machine.

Run under a virtual X server (a real xcb window, not the offscreen plugin):
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python packaging/screenshots_models.py
There is no internet here: the Hub is the test suite's fake one on 127.0.0.1 (tests/hubfake),
serving the real SmolLM2 GGUF and header-true sparse DeepSeek GGUFs; HOME and DESKSEEK_HOME are
throwaway folders holding other apps' real layouts (tests/models/layouts.py).
Writes docs/screenshots/{models-catalog,models-download,models-library}.png.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

from screenshots import OUT, shoot, wait  # noqa: E402  (the same waiting and grabbing)


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="deskseek-models-shots-"))
    os.environ["DESKSEEK_HOME"] = str(scratch / "deskseek")
    os.environ["HOME"] = str(scratch / "user")
    for var in ("HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "OLLAMA_MODELS"):
        os.environ.pop(var, None)
    from tests.hubfake import FakeHub, sparse_gguf
    from tests.models.layouts import hf_cache, ollama, place

    home = scratch / "user"
    hf_cache(home / ".cache" / "huggingface" / "hub", "bartowski/SmolLM2-135M-Instruct-GGUF",
             "SmolLM2-135M-Instruct-Q4_1.gguf")
    place(home / ".lmstudio" / "models" / "lmstudio-community" / "SmolLM2-135M-Instruct-GGUF"
          / "SmolLM2-135M-Instruct-Q4_1.gguf")
    ollama(home / ".ollama" / "models", "smollm2", "135m")
    hub = FakeHub().start()
    hub.add_smollm2()
    lite = "mradermacher/DeepSeek-V2-Lite-Chat-GGUF"
    for quant in ("Q4_K_M", "Q8_0"):
        hub.add_sparse(lite, sparse_gguf.write_deepseek(scratch / quant, quant, sparse_gguf.V2_LITE, split=False))
    hub.add_sparse("unsloth/DeepSeek-V3-GGUF", sparse_gguf.write_deepseek(scratch / "v3", "Q4_K_M"),
                   folder_in_repo="DeepSeek-V3-Q4_K_M")
    os.environ["HF_ENDPOINT"] = hub.url
    hub.faults.throttle(3e6)  # slow enough to photograph the download under way

    from PySide6.QtWidgets import QApplication

    from app.__main__ import start_model
    from app.paths import app_paths
    from app.store import open_store
    from app.ui.main_window import MainWindow
    from app.ui.runtime_thread import RuntimeThread
    from app.ui.theme import apply_theme

    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication([sys.argv[0]])
    apply_theme(app, "light")
    store = open_store(app_paths().database)
    window = MainWindow(store, RuntimeThread())
    window.resize(1180, 760)
    window.show()
    start_model(window, None)  # a first launch: the Models page is the first screen
    page = window.models_page
    catalog = page.catalog.list
    for name in ("DeepSeek-V3 (671B)", "DeepSeek-V2-Lite-Chat"):  # the two this fake Hub serves
        catalog.setCurrentItem(next(catalog.topLevelItem(i) for i in range(catalog.topLevelItemCount())
                                    if catalog.topLevelItem(i).text(0) == name))
        wait(app, lambda: not page.background.busy("catalog"))
    shoot(app, window, "models-catalog.png")

    page.show_repo(lite)
    wait(app, lambda: not page.hub.background.busy("files"))
    page.show_repo("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF")
    wait(app, lambda: not page.hub.background.busy("files"))
    page.hub.download_button.click()
    wait(app, lambda: any(r.job.progress and r.job.progress.rate > 0 and r.job.progress.done > 15e6
                          for r in page.downloads.rows.values()))
    page.hub.query.setText("DeepSeek")
    page.hub.search_button.click()
    wait(app, lambda: not page.hub.background.busy("search"))
    page.show_repo(lite)  # the repo's verdicts, with the download running below
    wait(app, lambda: not page.hub.background.busy("files"))
    shoot(app, window, "models-download.png")

    wait(app, lambda: all(r.job.state == "done" for r in page.downloads.rows.values()), timeout=300)
    page.tabs.setCurrentWidget(page.library)
    wait(app, lambda: not page.library.scanning and page.library.table.topLevelItemCount() >= 4)
    page.library.table.setCurrentItem(page.library.table.topLevelItem(0))
    shoot(app, window, "models-library.png")
    window.close()
    store.close()
    hub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
