"""Help: the keyboard shortcuts come from the window's own menus and shortcuts; About names the
versions and where data and logs are, and opens the log folder."""
import platform

from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QDialog

from tests.ui.scripted_backend import ScriptedBackend, scripted_engine


def help_action(window, words: str) -> QAction:
    menu = [a.menu() for a in window.menuBar().actions() if a.menu().objectName() == "helpMenu"][0]
    return [a for a in menu.actions() if words in a.text()][0]


def open_dialog(qtbot, window, words: str, name: str) -> QDialog:
    help_action(window, words).trigger()
    dialog = window.findChild(QDialog, name)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def native(keys) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def test_the_first_screen_has_a_help_menu(open_window, smollm):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["ok"])))
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[-1] == "&Help"
    assert help_action(window, "shortcuts").isEnabled() and help_action(window, "About").isEnabled()


def test_the_shortcut_list_holds_every_key_the_window_defines(qtbot, open_window, smollm):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["ok"])))
    rows = dict(open_dialog(qtbot, window, "shortcuts", "shortcutsDialog").rows())
    by_action = {what: keys for keys, what in rows.items()}
    assert by_action["File › New chat"] == native(QKeySequence.StandardKey.New)
    assert by_action["File › Settings"] == native("Ctrl+,")
    assert by_action["Stop the reply (its text so far is kept)"] == native("Esc")
    assert by_action["Search all conversations"] == ", ".join([native("Ctrl+K"), native(QKeySequence.StandardKey.Find)])
    assert by_action["Send the message"] == native("Return")
    assert by_action["Start a new line in the message"] == native("Shift+Return")
    assert by_action["Conversation list › Rename"] == native("F2")
    for top in window.menuBar().actions():  # every menu item with a key, whoever adds it later
        for action in top.menu().actions():
            if not action.shortcut().isEmpty():
                assert action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) in rows


def test_a_shortcut_added_to_a_menu_is_listed_without_editing_the_list(qtbot, open_window, smollm):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["ok"])))
    file_menu = window.menuBar().actions()[0].menu()
    extra = file_menu.addAction("Frobnicate")
    extra.setShortcut(QKeySequence("Ctrl+Alt+F"))
    rows = open_dialog(qtbot, window, "shortcuts", "shortcutsDialog").rows()
    assert (native("Ctrl+Alt+F"), "File › Frobnicate") in rows


def test_about_names_versions_and_folders_and_opens_the_logs(qtbot, open_window, smollm, data_home, monkeypatch):
    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["ok"])))
    about = open_dialog(qtbot, window, "About", "aboutDialog")
    facts = about.facts
    assert facts["Version"] and platform.python_version() in facts["Python"] and qVersion() in facts["Qt"]
    assert facts["Data folder"] == str(data_home.resolve())
    assert facts["Database"] == str(data_home.resolve() / "deskseek.sqlite3")
    assert facts["Log folder"] == str(data_home.resolve() / "logs")
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    about.open_logs.click()  # the OS file manager would open here
    assert opened == [QUrl.fromLocalFile(str(data_home.resolve() / "logs"))]
    assert (data_home / "logs").is_dir()
