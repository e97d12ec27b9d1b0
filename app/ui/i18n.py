"""The interface language: DeskSeek's own Qt translation (resources/translations) plus Qt's
(dialog buttons, text-edit menus) for the same language.

Installing or removing a translator makes Qt send LanguageChange to every widget; widgets that
rebuild their texts on it (the sidebar, the undo bar) switch at once, the rest on the next start.
English gets a translator too, holding only plural forms (deskseek_en.ts: "1 was", "2 were").
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from resources import RESOURCES

log = logging.getLogger(__name__)

LANGUAGES = ("en", "zh_CN")  # English is the source language: no translator needed
TRANSLATIONS = RESOURCES / "translations"
_NAMES = ("deskseekTranslator", "qtTranslator", "englishPlurals")


def installed_language(app: QCoreApplication) -> str:
    found = app.findChild(QTranslator, _NAMES[0])
    return found.language() if found is not None else "en"


def install_language(app: QCoreApplication, lang: str) -> bool:
    """Switch to `lang`; True when its translation was loaded (always True for English)."""
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}.")
    for name in _NAMES:
        old = app.findChild(QTranslator, name)
        if old is not None:
            app.removeTranslator(old)
            old.setParent(None)
            old.deleteLater()
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        _install_english_plurals(app)
        return True
    ours = QTranslator(app)
    ours.setObjectName(_NAMES[0])
    if not ours.load(f"deskseek_{lang}", str(TRANSLATIONS)):
        log.warning("no DeskSeek translation for %s in %s", lang, TRANSLATIONS)
        ours.setParent(None)
        return False
    app.installTranslator(ours)
    qt = QTranslator(app)
    qt.setObjectName(_NAMES[1])
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    else:  # only Qt's own buttons stay English
        qt.setParent(None)
    QLocale.setDefault(QLocale(lang))
    return True


def _install_english_plurals(app: QCoreApplication) -> None:
    """English is the source language, but "%n conversation(s)" needs its one and other forms:
    deskseek_en holds only those (the rest falls through to the source text)."""
    plurals = QTranslator(app)
    plurals.setObjectName(_NAMES[2])
    if plurals.load("deskseek_en", str(TRANSLATIONS)):
        app.installTranslator(plurals)
    else:
        log.warning("no English plural forms in %s", TRANSLATIONS)
        plurals.setParent(None)
