"""A document that does not fit the loaded context: the real window (SmolLM2, trained for 8192
tokens, loaded at the 2048 the general settings ask) offers the longer context this machine holds,
and Reload keeps it in the model's own settings and loads the model with it."""
from __future__ import annotations

from app.documents.context_offer import context_for_whole, documents_tokens
from app.models.model_settings import settings_for_model
from app.paths import app_paths
from app.settings import Settings, save_settings
from app.store import open_store
from runtime.prompting import passage_budget_tokens, reply_reserve
from tests.ui.conftest import wait_model_state
from tests.ui.test_documents import drop_files, wait_documents

REPORT = "\n\n".join(f"Section {i}. Revenue in region {i % 7} grew by {i % 13} percent; the warehouse "
                     f"at dock {i} ships on Tuesdays, and audits happen every {i % 5 + 2} months." for i in range(110))


def test_a_long_document_offers_the_longer_context_and_reload_applies_it(qtbot, open_window, data_home,
                                                                          tmp_path, smollm):
    store = open_store(app_paths().database)
    save_settings(store, Settings(n_ctx=2048))
    store.close()
    window = open_window(str(smollm))
    assert window.controller.model.context_length == 2048
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    drop_files(window, tmp_path / "report.txt")
    wait_documents(qtbot, window, 1)
    cid = window.controller.conversation_id
    tokens = documents_tokens(window.store, cid)
    assert 5000 < tokens < 10000  # not whole in 2048, nor in 8192 (a room of 3584 there)
    qtbot.waitUntil(lambda: window.notice.kind == "context", timeout=30_000)
    notice = window.notice
    assert notice.isVisible() and notice.action_button.isVisible()
    needed = context_for_whole(tokens, window.settings.max_tokens)
    assert notice.text() == (f"These documents need about {round(needed / 1024)}K tokens of context to be "
                             f"read whole; this computer's memory holds 8K for this model (2K now), enough "
                             f"for more of them.")
    assert notice.action_button.text() == "Reload with 8K"

    notice.action_button.click()
    assert not notice.isVisible()
    wait_model_state(qtbot, window, "loading", timeout=10_000)
    wait_model_state(qtbot, window, "ready")
    assert window.controller.model.context_length == 8192
    assert "Context: 8192 tokens, as set in the settings." in window.controller.model.reason
    assert settings_for_model(window.store, str(smollm), window.settings).n_ctx == 8192  # this model only
    assert window.settings.n_ctx == 2048
    # the loaded context is now all the machine offers: asked again, nothing is offered
    qtbot.waitUntil(lambda: not window.context_advisor.background.busy("context"), timeout=30_000)
    assert window.notice.kind != "context"
    # more of the report is quoted now: its passage budget grew fourfold
    assert passage_budget_tokens(8192, reply_reserve(8192, 1024)) > 4 * passage_budget_tokens(
        2048, reply_reserve(2048, 1024))


def test_no_offer_when_the_documents_fit_the_loaded_context(qtbot, open_window, data_home, tmp_path, smollm):
    window = open_window(str(smollm))  # the planner's own context: 8192 here
    assert window.controller.model.context_length == 8192
    (tmp_path / "note.txt").write_text(REPORT[:3000], encoding="utf-8")
    drop_files(window, tmp_path / "note.txt")
    wait_documents(qtbot, window, 1)
    qtbot.waitUntil(lambda: not window.context_advisor.background.busy("context"), timeout=30_000)
    assert window.notice.kind != "context" and window.notice.action_button.isHidden()


def test_the_offer_and_the_context_sentence_in_chinese(qtbot, qapp, open_window, data_home, tmp_path,
                                                       smollm):
    from app.ui.i18n import install_language

    store = open_store(app_paths().database)
    save_settings(store, Settings(n_ctx=2048))
    store.close()
    assert install_language(qapp, "zh_CN")
    try:
        window = open_window(str(smollm))
        assert "上下文：2048 个词元，按设置中的值。" in window.model_status.text()
        (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
        drop_files(window, tmp_path / "report.txt")
        qtbot.waitUntil(lambda: window.notice.kind == "context", timeout=30_000)
        assert window.notice.text().startswith("这些文档需要约 ")
        assert "这台电脑的内存可为此模型提供 8K（当前 2K），能读入更多内容。" in window.notice.text()
        assert window.notice.action_button.text() == "以 8K 重新加载"
    finally:
        install_language(qapp, "en")
