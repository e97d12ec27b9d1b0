"""Settings > Local API server, over a real store: what it shows, what OK keeps, the sentences for
a bad address, a bad origin and a taken port (the switch goes back off), the token's Copy and
Regenerate, and the URL a client uses."""
import socket
from dataclasses import replace

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.settings import API_DEFAULT_PORT, Settings, load_settings, save_settings
from app.store import open_store
from app.ui.settings_dialog import SettingsDialog


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "h.sqlite3") as s:
        yield s


def dialog_over(qtbot, settings=Settings(), listen_check=None):
    dialog = SettingsDialog(settings, listen_check=listen_check)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.api)
    return dialog


def ok(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_off_on_loopback_with_no_cors_and_saving_on_by_default(qtbot):
    dialog = dialog_over(qtbot)
    tab = dialog.api
    assert not tab.enabled.isChecked() and tab.port.value() == API_DEFAULT_PORT
    assert tab.host.text() == "127.0.0.1" and tab.origins.text() == "" and tab.save_history.isChecked()
    assert tab.url.text() == f"http://127.0.0.1:{API_DEFAULT_PORT}/v1"
    assert tab.host_warning.isHidden()
    assert tab.token.text() == "" and not tab.copy_token.isEnabled()  # made when the server first starts
    assert dialog.settings() == Settings()


def test_another_address_is_warned_about_and_the_url_follows(qtbot):
    tab = dialog_over(qtbot).api
    tab.host.setText("0.0.0.0")
    assert not tab.host_warning.isHidden()
    assert "Other computers can reach the server" in tab.host_warning.text()
    assert tab.url.text() == f"http://127.0.0.1:{API_DEFAULT_PORT}/v1"  # this computer reaches it on loopback
    tab.port.setValue(9123)
    tab.host.setText("::1")
    assert tab.host_warning.isHidden() and tab.url.text() == "http://[::1]:9123/v1"


def test_ok_keeps_the_api_settings_in_the_store(qtbot, store):
    dialog = dialog_over(qtbot, load_settings(store))
    tab = dialog.api
    tab.enabled.setChecked(True)
    tab.port.setValue(9124)
    tab.origins.setText("http://localhost:3000, https://example.org/")
    tab.save_history.setChecked(False)
    ok(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    save_settings(store, dialog.settings())
    kept = load_settings(store)
    assert (kept.api_enabled, kept.api_port, kept.api_host, kept.api_origins, kept.api_save_history) == (
        True, 9124, "127.0.0.1", ["http://localhost:3000", "https://example.org"], False)


@pytest.mark.parametrize("field, text, sentence", [
    ("host", "my-laptop",
     "The listen address must be an IP address of this computer, such as 127.0.0.1 (got “my-laptop”)."),
    ("origins", "*", "“*” is not a web origin: write scheme://host[:port], like http://localhost:3000."),
    ("origins", "http://localhost:3000/app", "“http://localhost:3000/app” is not a web origin"),
])
def test_a_bad_address_or_origin_keeps_the_dialog_open_with_a_sentence(qtbot, field, text, sentence):
    dialog = dialog_over(qtbot)
    dialog.show()
    getattr(dialog.api, field).setText(text)
    ok(dialog)
    assert dialog.isVisible() and not dialog.error.isHidden()
    assert sentence in dialog.error.text()


def test_a_taken_port_is_said_and_the_switch_goes_back_off(qtbot, open_window):
    window = open_window(wait_ready=False)  # its ApiSwitch makes the check the dialog asks for
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = taken.getsockname()[1]
        dialog = dialog_over(qtbot, Settings(), window.api.can_listen)
        dialog.show()
        dialog.api.enabled.setChecked(True)
        dialog.api.port.setValue(port)
        ok(dialog)
        assert dialog.isVisible()
        assert dialog.error.text() == (f"Port {port} is already in use on this computer: choose another port, "
                                       "or close the program that uses it.")
        assert not dialog.api.enabled.isChecked()
    finally:
        taken.close()


def test_regenerate_makes_a_new_token_that_copy_puts_on_the_clipboard(qtbot):
    dialog = dialog_over(qtbot, replace(Settings(), api_token="old-token-" + "x" * 30))
    tab = dialog.api
    assert tab.token.text().startswith("old-token-") and tab.token.isReadOnly()
    tab.regenerate.click()
    new = tab.token.text()
    assert new and not new.startswith("old-token-") and len(new) >= 40
    tab.copy_token.click()
    assert QApplication.clipboard().text() == new
    tab.copy_url.click()
    assert QApplication.clipboard().text() == f"http://127.0.0.1:{API_DEFAULT_PORT}/v1"
    assert dialog.settings().api_token == new


def test_the_token_never_shows_in_the_settings_repr():
    settings = replace(Settings(), api_token="secret-token-value")
    assert "secret-token-value" not in repr(settings)


def test_controls_have_accessible_names(qtbot):
    tab = dialog_over(qtbot).api
    for widget in (tab.enabled, tab.port, tab.host, tab.token, tab.copy_token, tab.regenerate, tab.origins,
                   tab.save_history, tab.url, tab.copy_url):
        assert widget.accessibleName()
