"""The Chinese interface: every wrapped string translated, the compiled file current, and real
widgets showing Chinese (built after the switch, and switched live)."""
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QDialogButtonBox

from app.settings import Settings
from app.store import open_store
from app.ui.composer import Composer
from app.ui.conversation_list import ConversationList
from app.ui.i18n import TRANSLATIONS, install_language, installed_language
from app.ui.settings_dialog import SettingsDialog

ROOT = Path(__file__).resolve().parents[2]
TS = TRANSLATIONS / "deskseek_zh_CN.ts"


def messages(ts: Path):
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [f.text for f in translation.iter("numerusform")] or [translation.text]
            yield context.findtext("name"), message.findtext("source"), translation.get("type"), forms


@pytest.fixture
def chinese(qapp):
    assert install_language(qapp, "zh_CN")
    yield qapp
    install_language(qapp, "en")


def test_every_message_is_translated():
    found = list(messages(TS))
    assert len(found) > 60
    unfinished = [(c, s) for c, s, kind, forms in found if kind is not None or not all(forms)]
    assert unfinished == []


def test_the_source_files_hold_no_string_missing_from_the_ts(tmp_path):
    """lupdate over app/ui finds nothing new: whoever wraps a new string must translate it."""
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    files = sorted(str(p) for p in (ROOT / "app" / "ui").glob("*.py"))
    subprocess.run([str(lupdate), *files, "-ts", str(fresh), "-locations", "none"], check=True,
                   capture_output=True)
    wanted = {(c, s) for c, s, _k, _f in messages(fresh)}
    have = {(c, s) for c, s, _k, _f in messages(TS)}
    assert wanted - have == set()


def test_the_compiled_qm_matches_the_ts(qapp):
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "deskseek_zh_CN.qm"))
    for context, source, _kind, forms in messages(TS):
        n = 1 if "%n" in source else -1
        got = translator.translate(context, source, None, n)
        assert got == forms[0], (context, source, got)


def test_real_widgets_built_after_the_switch_show_chinese(qtbot, chinese, tmp_path):
    with open_store(tmp_path / "h.sqlite3") as store:
        store.create_conversation(title="第一个对话")
        sidebar = ConversationList(store)
        qtbot.addWidget(sidebar)
        sidebar.refresh()
        assert sidebar.new_button.text() == "新对话"
        assert sidebar.search.placeholderText() == "搜索对话 (Ctrl+K)"
        assert sidebar.model.index(0).data() == "今天"
    composer = Composer()
    qtbot.addWidget(composer)
    assert composer.send_button.text() == "发送"
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "设置"
    assert [dialog.tabs.tabText(i) for i in range(3)] == ["对话", "模型", "外观"]
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"  # Qt's own


def test_the_sidebar_switches_language_live_and_back(qtbot, qapp, tmp_path):
    with open_store(tmp_path / "h.sqlite3") as store:
        store.create_conversation(title="x")
        sidebar = ConversationList(store)
        qtbot.addWidget(sidebar)
        sidebar.refresh()
        assert sidebar.new_button.text() == "New chat" and installed_language(qapp) == "en"
        try:
            install_language(qapp, "zh_CN")
            qtbot.waitUntil(lambda: sidebar.new_button.text() == "新对话", timeout=2000)
            assert sidebar.model.index(0).data() == "今天" and installed_language(qapp) == "zh_CN"
            assert sidebar.search.accessibleName() == "搜索对话"
        finally:
            install_language(qapp, "en")
        qtbot.waitUntil(lambda: sidebar.new_button.text() == "New chat", timeout=2000)
        assert sidebar.model.index(0).data() == "Today"


def test_an_unknown_language_is_refused(qapp):
    with pytest.raises(ValueError, match="Unknown language 'fr'"):
        install_language(qapp, "fr")


def test_the_whole_window_switches_language_live(qtbot, open_window, smollm, qapp):
    from runtime.types import GenerationOptions
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["Hello"])))
    window.controller.options = GenerationOptions(max_tokens=10)
    window.composer.editor.setPlainText("hi")
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None)
    try:
        assert install_language(qapp, "zh_CN")
        qtbot.wait(50)  # LanguageChange reaches the widgets through the event loop
        assert window.composer.send_button.text() == "发送"
        assert window.menuBar().actions()[0].text() == "文件(&F)"
        reply = [v for v in window.chat_view.messages() if v.role == "assistant"][0]
        assert reply.actions.buttons["copy"].text() == "复制" and reply.text == "Hello"
    finally:
        install_language(qapp, "en")
        qtbot.wait(50)
    assert window.composer.send_button.text() == "Send"
