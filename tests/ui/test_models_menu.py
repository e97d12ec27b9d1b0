"""The Models menu on the real window: the embedded model and the recent ones, the loaded one
checked, a missing one greyed; picking one loads it."""
import shutil

from PySide6.QtWidgets import QMenu

from app.models.recent import remember
from tests.ui.conftest import wait_model_state


def entries(window) -> dict[str, tuple[bool, bool]]:
    """Menu text -> (enabled, checked), as the user sees it when the menu opens."""
    menu: QMenu = window.models_menu
    menu.aboutToShow.emit()
    return {a.text(): (a.isEnabled(), a.isChecked()) for a in menu.actions() if a.text()}


def pick(window, text: str) -> None:
    window.models_menu.aboutToShow.emit()
    [a for a in window.models_menu.actions() if a.text() == text][0].trigger()


def wait_loaded(qtbot, window, path: str) -> None:
    qtbot.waitUntil(lambda: window.controller.loading_path is None and window.controller.model is not None
                    and window.controller.model.path == path, timeout=60_000)
    wait_model_state(qtbot, window, "ready")


EMBEDDED = "Embedded model: SmolLM2-135M (English only)"


def test_back_to_the_embedded_model_and_to_a_recent_one(qtbot, open_window, smollm, tmp_path):
    window = open_window(str(smollm))
    assert [a.text() for a in window.menuBar().actions()][:2] == ["&File", "&Models"]
    shown = entries(window)
    assert shown[EMBEDDED] == (True, True) and shown["No recent models yet"] == (False, False)

    other = shutil.copy(smollm, tmp_path / "my-model.gguf")  # a model of the user's own
    window.controller.load_model(str(other))
    wait_loaded(qtbot, window, str(other))
    shown = entries(window)
    assert shown[EMBEDDED] == (True, False) and shown["my-model.gguf"] == (True, True)

    pick(window, EMBEDDED)
    wait_loaded(qtbot, window, str(smollm))
    assert entries(window)["my-model.gguf"] == (True, False) and entries(window)[EMBEDDED] == (True, True)

    pick(window, "my-model.gguf")
    wait_loaded(qtbot, window, str(other))
    assert window.store.get_setting("model_path") == str(other)


def test_missing_models_are_greyed_and_can_be_forgotten(qtbot, open_window, smollm, tmp_path):
    window = open_window(str(smollm))
    remember(window.store, str(tmp_path / "deleted.gguf"))
    remember(window.store, "http://gpu-box:8000/v1")
    shown = entries(window)
    assert shown["deleted.gguf (missing)"] == (False, False)
    assert shown["http://gpu-box:8000/v1"] == (True, False)
    pick(window, "Forget missing models")
    shown = entries(window)
    assert "deleted.gguf (missing)" not in shown and "http://gpu-box:8000/v1" in shown
    pick(window, "Clear recent models")
    assert "No recent models yet" in entries(window)
