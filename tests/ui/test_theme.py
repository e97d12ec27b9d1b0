"""Themes applied to the real application: palettes, named parts, and "system" following live."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel

from app.ui.theme import applied_theme, apply_font_size, apply_theme, resolve, style_sheet

NAMED_PARTS = ["QWidget#sidebar", "QLabel#modelStatus", 'QLabel#modelStatus[state="loading"]',
               'QLabel#modelStatus[state="error"]', "QLabel#notice", "QFrame#message-user",
               "QFrame#message-assistant", "QLabel#messageHeader", "QLabel#messageStatus"]


@pytest.fixture
def restore(qapp):
    """Leave the shared application as it was for the tests that follow."""
    sheet, palette, style = qapp.styleSheet(), qapp.palette(), qapp.style().name()
    yield qapp
    apply_theme(qapp, "light")  # the follower stops following the system
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)


def window_lightness(app) -> int:
    return app.palette().color(QPalette.ColorRole.Window).lightness()


@pytest.mark.parametrize("name", ["light", "dark"])
def test_both_sheets_style_every_part_the_old_sheet_named(name):
    sheet = style_sheet(name)
    for part in NAMED_PARTS:
        assert part + " {" in sheet, (name, part)


def test_light_and_dark_change_palette_and_sheet(restore):
    app = restore
    assert apply_theme(app, "dark") == "dark"
    assert window_lightness(app) < 60 and "#17181c" in app.styleSheet()
    assert apply_theme(app, "light") == "light"
    assert window_lightness(app) > 200 and "#f3f4f6" in app.styleSheet()


def test_a_styled_label_really_paints_in_the_theme(qtbot, restore):
    label = QLabel("x")
    label.setObjectName("notice")
    qtbot.addWidget(label)
    label.resize(40, 20)
    apply_theme(restore, "dark")
    dark = label.grab().toImage().pixelColor(2, 2)
    apply_theme(restore, "light")
    light = label.grab().toImage().pixelColor(2, 2)
    assert dark.lightness() < 80 < 200 < light.lightness()


def test_system_follows_the_colour_scheme_live_and_stops_when_chosen_explicitly(restore):
    app = restore
    hints = app.styleHints()
    apply_theme(app, "system")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what the desktop does on a switch
    assert applied_theme(app) == "dark" and window_lightness(app) < 60
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert applied_theme(app) == "light"
    apply_theme(app, "light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert applied_theme(app) == "light"  # an explicit choice is kept


def test_resolve_rules():
    assert resolve("system", Qt.ColorScheme.Dark) == "dark"
    assert resolve("system", Qt.ColorScheme.Unknown) == "light"
    assert resolve("dark", Qt.ColorScheme.Light) == "dark"
    with pytest.raises(ValueError, match="Unknown theme 'blue'"):
        resolve("blue", Qt.ColorScheme.Light)


def test_font_size(qapp):
    before = qapp.font()
    apply_font_size(qapp, 15)
    assert qapp.font().pointSize() == 15
    qapp.setFont(before)
