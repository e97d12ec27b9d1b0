"""The Settings dialog over a real store: shows what is saved, OK validates, saves and applies,
Cancel keeps nothing; presets fill the system prompt."""
from dataclasses import replace

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog

from app.settings import Settings, load_settings, save_settings
from app.store import open_store
from app.ui.i18n import install_language, installed_language
from app.ui.settings_dialog import SettingsDialog, edit_settings
from app.ui.theme import apply_theme


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "h.sqlite3") as s:
        yield s


@pytest.fixture
def app_state(qapp):
    """Leave theme, font and language as they were for the tests that follow."""
    sheet, palette, style, font = qapp.styleSheet(), qapp.palette(), qapp.style().name(), qapp.font()
    yield qapp
    apply_theme(qapp, "light")
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    install_language(qapp, "en")


def click(dialog, which):
    dialog.buttons.button(which).click()


def run_modal(qtbot, steps):
    """Call edit_settings-style code whose dialog is modal: `steps(dialog)` runs inside it."""
    def inside():
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "settingsDialog"
        try:
            steps(dialog)
        finally:  # a failed step must not leave the test waiting on an open dialog
            if dialog.isVisible():
                dialog.reject()
    QTimer.singleShot(0, inside)


def test_the_dialog_shows_the_saved_settings(qtbot, store):
    save_settings(store, replace(Settings(), temperature=0.25, top_p=0.5, max_tokens=2048, n_ctx=4096,
                                 n_threads=3, theme="dark", language="zh_CN", font_size=12,
                                 system_prompt="Be brief."))
    dialog = SettingsDialog(load_settings(store))
    qtbot.addWidget(dialog)
    assert dialog.settings() == load_settings(store)
    assert dialog.theme.currentData() == "dark" and dialog.language.currentText() == "简体中文"
    assert dialog.preset.currentText() == "(custom)"


def test_zero_context_and_threads_read_as_words(qtbot):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.n_ctx.text() == "Model default" and dialog.n_threads.text() == "Automatic"


def test_choosing_a_preset_fills_the_prompt_and_typing_makes_it_custom(qtbot):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    index = dialog.preset.findText("中文助手")
    dialog.preset.setCurrentIndex(index)
    dialog.preset.activated.emit(index)
    assert dialog.prompt.toPlainText().startswith("你是一位乐于助人的助手")
    dialog.prompt.setFocus()
    qtbot.keyClicks(dialog.prompt, " ok")
    assert dialog.preset.currentText() == "(custom)"


def test_ok_saves_and_applies_theme_font_and_language(qtbot, store, app_state):
    def steps(dialog):
        dialog.temperature.setValue(1.3)
        dialog.max_tokens.setValue(512)
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
        assert not dialog.hint.isHidden()  # says what stays in English
        dialog.font_size.setValue(14)
        click(dialog, QDialogButtonBox.StandardButton.Ok)

    run_modal(qtbot, steps)
    chosen = edit_settings(None, store)
    assert chosen is not None and load_settings(store) == chosen
    assert (chosen.temperature, chosen.max_tokens, chosen.theme) == (1.3, 512, "dark")
    assert chosen.to_generation_options().temperature == 1.3
    assert app_state.palette().color(QPalette.ColorRole.Window).lightness() < 60
    assert app_state.font().pointSize() == 14
    assert installed_language(app_state) == "zh_CN"


def test_an_invalid_value_keeps_the_dialog_open_with_the_reason_and_cancel_keeps_nothing(qtbot, store):
    seen = {}

    def steps(dialog):
        dialog.n_ctx.setValue(100)
        click(dialog, QDialogButtonBox.StandardButton.Ok)
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.error.text()
        click(dialog, QDialogButtonBox.StandardButton.Cancel)

    run_modal(qtbot, steps)
    assert edit_settings(None, store) is None
    assert seen["open"] and "at least 256 tokens" in seen["error"]
    assert store.get_setting("settings") is None


def test_save_as_preset_adds_it_and_it_is_stored(qtbot, store):
    def name_it():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QInputDialog)
        box.setTextValue("Pirate")
        box.accept()

    def steps(dialog):
        dialog.prompt.setPlainText("Talk like a pirate.")
        QTimer.singleShot(0, name_it)
        dialog.save_preset.click()
        assert dialog.preset.currentText() == "Pirate"
        click(dialog, QDialogButtonBox.StandardButton.Ok)

    run_modal(qtbot, steps)
    edit_settings(None, store)
    assert load_settings(store).presets["Pirate"] == "Talk like a pirate."


def test_controls_have_accessible_names(qtbot):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    for control in (dialog.prompt, dialog.temperature, dialog.top_p, dialog.max_tokens, dialog.n_ctx,
                    dialog.n_threads, dialog.theme, dialog.language, dialog.font_size, dialog.preset):
        assert control.accessibleName(), control
