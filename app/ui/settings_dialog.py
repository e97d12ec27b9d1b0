"""The Settings dialog (Ctrl+,): edits a `Settings` value; OK validates and keeps it, Cancel drops it.

The dialog only edits a copy. `edit_settings` is the whole round trip: read from the store,
show, save, then apply theme, font size and language to the running application.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QHBoxLayout, QInputDialog, QLabel, QPlainTextEdit,
                               QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from app.settings import (API_LOOPBACK, LIMITS, Settings, SettingsStore, load_settings, save_settings)
from app.ui.api_settings_tab import ApiSettingsTab
from app.ui.i18n import install_language
from app.ui.theme import apply_font_size, apply_theme


def _double(name: str, step: float, decimals: int = 2) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    low, high = LIMITS[name]
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    return box


def _int(name: str, step: int = 1, zero_text: str = "") -> QSpinBox:
    box = QSpinBox()
    low, high = LIMITS[name]
    box.setRange(int(low), int(high))
    box.setSingleStep(step)
    if zero_text:
        box.setSpecialValueText(zero_text)  # shown instead of 0
    return box


# (host, port) -> None when the API server can listen there, else a sentence saying why not.
ListenCheck = Callable[[str, int], "str | None"]


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 listen_check: ListenCheck | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._initial = settings
        self._presets = dict(settings.presets)
        self.preset = QComboBox()
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText(self.tr("Instructions sent before every new conversation (optional)"))
        self.save_preset = QPushButton(self.tr("Save as preset…"))
        self.temperature = _double("temperature", 0.05)
        self.top_p = _double("top_p", 0.05)
        self.max_tokens = _int("max_tokens", 256)
        self.n_ctx = _int("n_ctx", 1024, self.tr("Model default"))
        self.n_threads = _int("n_threads", 1, self.tr("Automatic"))
        self.theme = QComboBox()
        for value, text in (("system", self.tr("Follow the system")), ("light", self.tr("Light")),
                            ("dark", self.tr("Dark"))):
            self.theme.addItem(text, value)
        self.language = QComboBox()
        self.language.addItem("English", "en")
        self.language.addItem("简体中文", "zh_CN")
        self.font_size = _int("font_size")
        self.api = ApiSettingsTab(settings)
        self._listen_check = listen_check
        self.hint = QLabel(self.tr("The model bar's explanations of how a model runs stay in English."))
        self.hint.setObjectName("settingsHint")
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self._name_controls()
        self._lay_out()
        self._fill(settings)
        self.preset.activated.connect(self._use_preset)
        self.prompt.textChanged.connect(self._match_preset)
        self.save_preset.clicked.connect(self._save_preset)
        self.language.currentIndexChanged.connect(
            lambda _i: self.hint.setVisible(self.language.currentData() != self._initial.language))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _name_controls(self) -> None:
        for widget, name in ((self.preset, self.tr("Preset")), (self.prompt, self.tr("System prompt")),
                             (self.save_preset, self.tr("Save as preset")),
                             (self.temperature, self.tr("Temperature")), (self.top_p, self.tr("Top-p")),
                             (self.max_tokens, self.tr("Maximum reply tokens")),
                             (self.n_ctx, self.tr("Context length")), (self.n_threads, self.tr("CPU threads")),
                             (self.theme, self.tr("Theme")), (self.language, self.tr("Language")),
                             (self.font_size, self.tr("Font size"))):
            widget.setAccessibleName(name)

    def _lay_out(self) -> None:
        chat = QWidget()
        form = QFormLayout(chat)
        preset_row = QHBoxLayout()
        preset_row.addWidget(self.preset, 1)
        preset_row.addWidget(self.save_preset)
        form.addRow(self.tr("Preset"), preset_row)
        form.addRow(self.tr("System prompt"), self.prompt)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Top-p"), self.top_p)
        form.addRow(self.tr("Maximum reply tokens"), self.max_tokens)
        model = QWidget()
        model_form = QFormLayout(model)
        model_form.addRow(self.tr("Context length (tokens)"), self.n_ctx)
        model_form.addRow(self.tr("CPU threads"), self.n_threads)
        note = QLabel(self.tr("These take effect the next time a model is loaded."))
        note.setObjectName("settingsHint")
        note.setWordWrap(True)
        model_form.addRow(note)
        look = QWidget()
        look_form = QFormLayout(look)
        look_form.addRow(self.tr("Theme"), self.theme)
        look_form.addRow(self.tr("Language"), self.language)
        look_form.addRow(self.tr("Font size"), self.font_size)
        look_form.addRow(self.hint)
        self.tabs = QTabWidget()
        self.tabs.addTab(chat, self.tr("Chat"))
        self.tabs.addTab(model, self.tr("Model"))
        self.tabs.addTab(look, self.tr("Appearance"))
        self.tabs.addTab(self.api, self.tr("Local API server"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(600, 460)

    def _fill(self, s: Settings) -> None:
        self.prompt.setPlainText(s.system_prompt)
        self.temperature.setValue(s.temperature)
        self.top_p.setValue(s.top_p)
        self.max_tokens.setValue(s.max_tokens)
        self.n_ctx.setValue(s.n_ctx)
        self.n_threads.setValue(s.n_threads)
        self.theme.setCurrentIndex(max(0, self.theme.findData(s.theme)))
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        self.font_size.setValue(s.font_size)
        self.hint.hide()
        self._fill_presets()

    def _fill_presets(self) -> None:
        self.preset.blockSignals(True)
        self.preset.clear()
        self.preset.addItem(self.tr("(custom)"), "")
        for name in self._presets:
            self.preset.addItem(name, name)
        self.preset.blockSignals(False)
        self._match_preset()

    def _use_preset(self, _index: int) -> None:
        name = self.preset.currentData()
        if name:
            self.prompt.setPlainText(self._presets[name])

    def _match_preset(self) -> None:
        text = self.prompt.toPlainText()
        name = next((n for n, p in self._presets.items() if p == text), "")
        self.preset.setCurrentIndex(max(0, self.preset.findData(name)))

    def _save_preset(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save as preset"), self.tr("Preset name:"))
        if ok and name.strip():
            self._presets[name.strip()] = self.prompt.toPlainText()
            self._fill_presets()

    def settings(self) -> Settings:
        """What the form holds now (possibly invalid; see `Settings.problems`)."""
        return replace(self._initial, system_prompt=self.prompt.toPlainText(), presets=dict(self._presets),
                       temperature=round(self.temperature.value(), 4), top_p=round(self.top_p.value(), 4),
                       max_tokens=self.max_tokens.value(), n_ctx=self.n_ctx.value(),
                       n_threads=self.n_threads.value(), theme=self.theme.currentData(),
                       language=self.language.currentData(), font_size=self.font_size.value(),
                       **self.api.values())

    def accept(self) -> None:
        chosen = self.settings()
        # The API tab's free text is checked there, in the window's language; the rest here.
        problems = replace(chosen, api_host=API_LOOPBACK, api_origins=[]).problems() + self.api.problems()
        if not problems and chosen.api_enabled and self._listen_check is not None:
            refused = self._listen_check(chosen.api_host, chosen.api_port)
            if refused:  # the port is taken: say so, and the switch goes back off
                self.api.enabled.setChecked(False)
                self.tabs.setCurrentWidget(self.api)
                problems = [refused]
        if problems:  # stay open and say what to fix
            self.error.setText("\n".join(problems))
            self.error.show()
            return
        super().accept()


def apply_settings(app: QApplication, settings: Settings) -> None:
    """Theme, font size and language for the running application."""
    apply_theme(app, settings.theme)
    apply_font_size(app, settings.font_size)
    install_language(app, settings.language)


def edit_settings(parent: QWidget | None, store: SettingsStore,
                  listen_check: ListenCheck | None = None) -> Settings | None:
    """Show the dialog over the stored settings; on OK save and apply them and return them.
    listen_check: asked on OK when the API server is switched on (the window's ApiSwitch)."""
    dialog = SettingsDialog(load_settings(store), parent, listen_check)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = dialog.settings()
    save_settings(store, chosen)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_settings(app, chosen)
    return chosen
