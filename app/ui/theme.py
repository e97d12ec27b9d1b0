"""Light and dark themes: a Fusion palette for plain widgets plus a style sheet for named parts.

"system" follows `QStyleHints.colorScheme()` and keeps following it: one small QObject on the
application listens for `colorSchemeChanged`, so switching the desktop to dark repaints at once.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from resources import read_text

THEMES = ("light", "dark", "system")
_FOLLOWER = "deskseekThemeFollower"

# (role, colour) per theme; Fusion paints everything unnamed from these.
_COLOURS = {
    "light": {
        "Window": "#f9fafb", "WindowText": "#111827", "Base": "#ffffff", "AlternateBase": "#f3f4f6",
        "Text": "#111827", "Button": "#f3f4f6", "ButtonText": "#111827", "Highlight": "#4f46e5",
        "HighlightedText": "#ffffff", "ToolTipBase": "#111827", "ToolTipText": "#f9fafb",
        "PlaceholderText": "#6b7280", "Link": "#4338ca", "BrightText": "#dc2626", "Mid": "#d1d5db",
        "Dark": "#9ca3af", "Light": "#ffffff", "Midlight": "#e5e7eb", "Shadow": "#6b7280",
    },
    "dark": {
        "Window": "#1b1c21", "WindowText": "#e5e7eb", "Base": "#141518", "AlternateBase": "#1f2026",
        "Text": "#e5e7eb", "Button": "#2a2c34", "ButtonText": "#e5e7eb", "Highlight": "#6366f1",
        "HighlightedText": "#ffffff", "ToolTipBase": "#e5e7eb", "ToolTipText": "#111827",
        "PlaceholderText": "#8b909c", "Link": "#a5b4fc", "BrightText": "#f87171", "Mid": "#3f4350",
        "Dark": "#0f1013", "Light": "#3a3d47", "Midlight": "#30323b", "Shadow": "#000000",
    },
}


def resolve(theme: str, scheme: Qt.ColorScheme) -> str:
    """The concrete theme ("light" | "dark") for a setting and the system's colour scheme."""
    if theme not in THEMES:
        raise ValueError(f"Unknown theme {theme!r}; expected one of {', '.join(THEMES)}.")
    if theme == "system":
        return "dark" if scheme == Qt.ColorScheme.Dark else "light"
    return theme


def palette_for(name: str) -> QPalette:
    palette = QPalette()
    for role_name, colour in _COLOURS[name].items():
        role = getattr(QPalette.ColorRole, role_name)
        palette.setColor(role, QColor(colour))
    # Disabled text in the muted colour, so it reads as disabled in both themes.
    muted = QColor(_COLOURS[name]["PlaceholderText"])
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return palette


def style_sheet(name: str) -> str:
    return read_text(f"themes/{name}.qss")


class _SystemFollower(QObject):
    """Re-applies the theme when the desktop's colour scheme changes, while the setting is "system"."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_FOLLOWER)
        self.app = app
        self.theme = "system"
        self.applied = ""
        app.styleHints().colorSchemeChanged.connect(self._on_scheme)

    def _on_scheme(self, scheme: Qt.ColorScheme) -> None:
        if self.theme == "system":
            self.show(resolve("system", scheme))

    def show(self, name: str) -> None:
        self.app.setStyle("Fusion")  # the one style that paints from the palette on every desktop
        self.app.setPalette(palette_for(name))
        self.app.setStyleSheet(style_sheet(name))
        self.applied = name


def _follower(app: QApplication) -> _SystemFollower:
    found = app.findChild(_SystemFollower, _FOLLOWER)
    return found if found is not None else _SystemFollower(app)


def apply_theme(app: QApplication, theme: str) -> str:
    """Apply "light", "dark" or "system"; returns the concrete theme now shown."""
    name = resolve(theme, app.styleHints().colorScheme())
    follower = _follower(app)
    follower.theme = theme
    follower.show(name)
    return name


def applied_theme(app: QApplication) -> str:
    """The concrete theme last applied ("" if none)."""
    found = app.findChild(_SystemFollower, _FOLLOWER)
    return found.applied if found is not None else ""


def apply_font_size(app: QGuiApplication, points: int) -> None:
    font = QFont(app.font())
    font.setPointSize(points)
    app.setFont(font)
