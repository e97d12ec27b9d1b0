"""The model used last is gone: the window says so, and the notice stays while the embedded
default loads in its place."""
from tests.ui.conftest import wait_model_state


def test_a_vanished_model_is_named_after_the_default_loads(qtbot, open_window, data_home, smollm, tmp_path):
    from app.store import open_store

    gone = tmp_path / "moved-away.gguf"
    data_home.mkdir(parents=True, exist_ok=True)
    with open_store(data_home / "deskseek.sqlite3") as store:
        store.set_setting("model_path", str(gone))
    window = open_window(None, wait_ready=False)
    wait_model_state(qtbot, window, "ready")
    assert window.controller.model.path == str(smollm)
    assert window.notice.isVisible() and "moved-away.gguf" in window.notice.text()
