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


def lupdate(out: Path) -> Path:
    """What Qt's lupdate finds: the window's tr() strings (and the startup's), the runtime's Sentence templates
    (runtime/sentences.py), which it files under the empty context."""
    tool = Path(sys.executable).parent / "pyside6-lupdate"
    files = sorted(str(p) for p in (ROOT / "app" / "ui").glob("*.py")) + [str(ROOT / "app" / "__main__.py")]
    files += sorted(str(p) for p in (ROOT / "runtime").rglob("*.py"))
    subprocess.run([str(tool), *files, "-tr-function-alias", "QT_TR_NOOP+=Sentence", "-ts", str(out),
                    "-locations", "none"], check=True, capture_output=True)
    return out


def test_the_source_files_hold_no_string_missing_from_the_ts(tmp_path):
    """lupdate over app/ui and runtime finds nothing new: whoever wraps a new string (or writes a
    new runtime Sentence) must translate it."""
    wanted = {(c, s) for c, s, _k, _f in messages(lupdate(tmp_path / "fresh.ts"))}
    have = {(c, s) for c, s, _k, _f in messages(TS)}
    assert wanted - have == set()
    assert ("", "English only") in wanted  # the runtime's sentences are really searched


@pytest.mark.parametrize("name", ["deskseek_zh_CN", "deskseek_en"])
def test_the_compiled_qm_matches_the_ts(qapp, name):
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / f"{name}.qm"))
    for context, source, _kind, forms in messages(TRANSLATIONS / f"{name}.ts"):
        n = 1 if "%n" in source else -1
        got = translator.translate(context, source, None, n)
        assert got == forms[0], (context, source, got)


def test_english_has_both_plural_forms_of_every_counted_message():
    english = {(c, s): forms for c, s, _k, forms in messages(TRANSLATIONS / "deskseek_en.ts")}
    counted = [(c, s) for c, s, _k, _f in messages(TS) if "%n" in s]
    assert counted and all(len(english.get(key, [])) == 2 and all(english[key]) for key in counted), \
        [key for key in counted if len(english.get(key, [])) != 2]


def test_runtime_translations_keep_their_placeholders():
    """A Chinese template must name the same {arguments} as its English one."""
    import re

    for context, source, _kind, forms in messages(TS):
        if context == "" and "{" in source:
            assert set(re.findall(r"{(\w+)}", forms[0])) <= set(re.findall(r"{(\w+)}", source)), source


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


def test_the_model_bar_and_the_figures_follow_the_language(qtbot, open_window, smollm, qapp):
    """The runtime's sentence (plan and "English only") shows in Chinese, and everything goes
    back to English after switching back, the speed line included."""
    from runtime.types import GenerationOptions
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    window = open_window(str(smollm), engine=scripted_engine(ScriptedBackend(["one ", "two"])))
    window.controller.options = GenerationOptions(max_tokens=10)
    window.composer.editor.setPlainText("hi")
    window.composer.send_button.click()
    qtbot.waitUntil(lambda: window.controller.reply is None)
    english_bar, english_stats = window.model_status.text(), window.model_panel.stats.text()
    assert "English only" in english_bar and "running on the CPU" in english_bar and "tok/s" in english_stats
    try:
        assert install_language(qapp, "zh_CN")
        qtbot.waitUntil(lambda: "仅英语" in window.model_status.text(), timeout=2000)
        bar = window.model_status.text()
        assert "在 CPU 上用" in bar and "English" not in bar and "running" not in bar
        assert "词元/秒" in window.model_panel.stats.text()
    finally:
        install_language(qapp, "en")
    qtbot.waitUntil(lambda: window.model_panel.stats.text() == english_stats, timeout=2000)
    assert window.model_status.text() == english_bar


def test_a_window_opened_in_chinese_describes_its_model_in_chinese(qtbot, open_window, smollm, chinese):
    window = open_window(str(smollm))
    bar = window.model_status.text()
    assert bar.startswith("SmolLM2-135M-Instruct.Q4_1 · 仅英语 — 未找到 CUDA GPU：在 CPU 上用"), bar


def test_the_terminal_prints_the_plan_in_english(smollm):
    out = subprocess.run([sys.executable, "-m", "runtime", "plan", str(smollm), "--no-gpu"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "No CUDA GPU found: running on the CPU with" in out.stdout


def test_the_last_resort_and_the_user_s_split_are_said_in_chinese(chinese, tmp_path):
    """Two plan reasons the model bar shows that were plain English f-strings (found by the
    mutation tests of issue 11): now Sentences, rendered whole in the window's language."""
    from runtime.modelfile import inspect
    from runtime.planning.choose import PlanPreferences
    from runtime.planning.override import with_override
    from runtime.planner import plan
    from tests.hubfake import sparse_gguf
    from app.ui.runtime_words import translated
    from tests.runtime.test_planner_reasons import mmap_machine

    v3 = inspect(str(sparse_gguf.write_deepseek(tmp_path, "Q4_K_M").files[0]))
    last = plan(mmap_machine(24, 384), v3).plans[0]
    assert last.reason.startswith("Last resort: DeepSeek V3")
    shown = translated(last.reason)
    assert shown.startswith("最后手段：DeepSeek V3（376.7 GiB）") and "注意力和共享专家在 RTX 4090（cuda:0）上；" in shown
    assert "由 16 个 CPU 线程运行" in shown and "Last resort" not in shown
    from tests.runtime.test_planner_override import N_LAYERS, PLANS

    mine = with_override(PLANS, PlanPreferences(n_gpu_layers=3, n_cpu_moe_layers=1), N_LAYERS)[0]
    assert mine.reason == "Your setting: 3 of 5 layers on cuda:1, experts of 1 layers in RAM (the planner chose 5 and 2)."
    assert translated(mine.reason) == "你的设置：5 层中的 3 层在 cuda:1 上，1 层的专家在内存中（规划器选的是 5 和 2）。"


def test_the_models_page_line_of_a_plan_is_said_in_chinese(chinese, smollm, tmp_path):
    """The one line per model of the Models page, the hub's file list and the catalogue
    (runtime.planning.summary.one_line) was English in the Chinese window: now Sentences."""
    from runtime.modelfile import inspect
    from runtime.planning.summary import one_line
    from runtime.types import Plan
    from app.ui.runtime_words import translated
    from tests.runtime.test_planner_summary import GiB, MiB, TWO_GPUS, llama

    smol = inspect(str(smollm))
    cpu = one_line(llama(n_threads=2, est_bytes={"cpu": 300 * MiB}, est_decode_tok_s=30), smol, TWO_GPUS)
    assert cpu == "CPU only, 2 threads, 300 MiB RAM, context 4096, ≈30 tok/s"  # the terminal's, unchanged
    assert translated(cpu) == "仅 CPU，2 个线程, 内存 300 MiB, 上下文 4096, ≈30 词元/秒"
    split = one_line(llama(device="cuda:0", n_gpu_layers=31, n_cpu_moe_layers=20, mmap_from_disk_bytes=40 * GiB,
                           est_bytes={"cuda:0": 20 * GiB, "cpu": 300 * GiB}, kv_type="q8_0"), smol, TWO_GPUS)
    assert translated(split) == ("在 RTX 4090 上，20 层的专家在内存中, 40.0 GiB 从磁盘映射（最后手段）, "
                                 "显存 20.0 GiB + 内存 300.0 GiB, 上下文 4096, KV q8_0")
    for p in (llama(n_threads=1), llama(device="cuda:0", n_gpu_layers=31, est_bytes={"cuda:0": GiB}),
              llama(device="cuda:0", n_gpu_layers=12, n_cpu_moe_layers=3), llama(device="cuda:0", n_gpu_layers=12),
              Plan(engine="torch", model_path="m", device="cuda:0", dtype="bfloat16"),
              Plan(engine="torch", model_path="m", dtype="float32")):
        shown = translated(one_line(p, smol, TWO_GPUS))
        assert not any(word in shown for word in ("layers", "thread", "context", "CPU only", " on ")), shown
