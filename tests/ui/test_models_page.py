"""The Models page in the real window: the first screen of a new user, the catalog, and the library
over a temporary HOME that holds other apps' real layouts; open, delete, per-model settings."""
from __future__ import annotations

import pytest

from app.models.model_settings import settings_for_model
from app.paths import app_paths
from app.store import open_store
from app.ui.model_settings_dialog import ModelSettingsDialog
from tests.models.layouts import build_home
from tests.ui.conftest import wait_model_state
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine
from tests.ui.test_scripted_replies import send


@pytest.fixture
def home(tmp_path, monkeypatch, data_home):
    home = tmp_path / "user"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "OLLAMA_MODELS"):
        monkeypatch.delenv(var, raising=False)
    return build_home(home, data_home / "models")


def catalog_row_text(page, name):
    lst = page.catalog.list
    return next(lst.topLevelItem(i).text(2) for i in range(lst.topLevelItemCount()) if lst.topLevelItem(i).text(0) == name)


def only_download(page):
    return next(iter(page.downloads.rows.values()), None)


def rows(page):
    t = page.library.table
    return {t.topLevelItem(i).data(0, 256).path: t.topLevelItem(i) for i in range(t.topLevelItemCount())}


def wait_scanned(qtbot, page):
    qtbot.waitUntil(lambda: not page.library.scanning and page.library.table.topLevelItemCount() > 0,
                    timeout=30_000)


def test_a_first_launch_opens_on_the_models_page_with_the_catalog(qtbot, open_window, smollm, home):
    window = open_window(str(smollm))
    page = window.models_page
    assert window.chat_stack.currentWidget() is page
    names = [page.catalog.list.topLevelItem(i).text(0) for i in range(page.catalog.list.topLevelItemCount())]
    assert "DeepSeek-R1-Distill-Qwen-7B" in names and "DeepSeek-V3 (671B)" in names
    assert "temperature 0.6, top-p 0.95" in page.catalog.details.text()
    send(qtbot, window, "hello")  # typing a question goes to the chat
    assert window.chat_stack.currentWidget() is window.chat_view


def test_a_window_with_history_opens_on_the_chat(qtbot, open_window, smollm, home, data_home):
    store = open_store(app_paths().database)
    store.create_conversation(title="old")
    store.close()
    window = open_window(str(smollm))
    assert window.chat_stack.currentWidget() is window.chat_view
    browse = next(a for a in window.models_menu.actions() if a.shortcut().toString() == "Ctrl+M")
    browse.trigger()  # Models > Browse and download models…
    assert window.chat_stack.currentWidget() is window.models_page
    window.models_page.back_button.click()
    assert window.chat_stack.currentWidget() is window.chat_view


def test_the_library_lists_every_app_s_models_and_opens_one(qtbot, open_window, smollm, home):
    window = open_window(str(smollm))
    page = window.models_page
    page.tabs.setCurrentWidget(page.library)
    wait_scanned(qtbot, page)
    found = rows(page)
    assert set(found) == {str(p) for p in home.values()}
    ollama = found[str(home["ollama"])]
    assert (ollama.text(0), ollama.text(2), ollama.text(3), ollama.text(4)) == ("smollm2:135m", "Q4_1", "llama", "Ollama")
    assert ollama.text(5).startswith("CPU only") and "tok/s" in ollama.text(5) and ollama.toolTip(5)
    assert found[str(home["own"])].text(4) == "DeskSeek"
    page.library.table.setCurrentItem(ollama)
    page.library.open_button.click()
    assert window.chat_stack.currentWidget() is window.chat_view
    wait_model_state(qtbot, window, "ready")
    assert window.controller.model.path == str(home["ollama"])


def test_delete_removes_deskseek_s_own_files_and_refuses_another_app_s(qtbot, open_window, smollm, home):
    window = open_window(str(smollm))
    page = window.models_page
    wait_scanned(qtbot, page)
    page.library.select_path(str(home["lmstudio"]))
    page.library.delete_selected(confirm=False)
    assert "DeskSeek deletes only the models it downloaded itself" in page.notice.text()
    assert home["lmstudio"].exists()
    page.library.select_path(str(home["own"]))
    page.library.delete_selected(confirm=False)
    assert not home["own"].exists()
    qtbot.waitUntil(lambda: not page.library.scanning, timeout=30_000)
    assert str(home["own"]) not in rows(page)


def test_per_model_settings_edited_on_the_page_drive_the_next_turn(qtbot, open_window, home, monkeypatch):
    backend = ScriptedBackend(["Salut."])
    window = open_window(str(home["own"]), engine=scripted_engine(backend))  # an R1 distill by name
    page = window.models_page
    window.show_models_page()
    page.tabs.setCurrentWidget(page.library)
    wait_scanned(qtbot, page)
    page.library.select_path(str(home["own"]))
    entry = page.library.selected()
    shown = []

    def edit(dialog):
        shown.append(dialog)
        assert (dialog.temperature.value(), dialog.top_p.value()) == (0.6, 0.95)  # R1's card
        assert not dialog.system_prompt.isChecked()
        dialog.temperature.setValue(0.3)
        dialog.seed.set(5)
        dialog.accept()
        return True

    monkeypatch.setattr(ModelSettingsDialog, "exec", edit)
    page.library.settings_button.click()
    assert shown and settings_for_model(window.store, entry.path, window.settings).temperature == 0.3
    window.show_chat()
    send(qtbot, window, "bonjour")
    assert (window.controller.options.temperature, window.controller.options.seed) == (0.3, 5)


def test_bad_numbers_in_the_settings_dialog_are_refused_with_a_sentence(qtbot, open_window, smollm, home):
    window = open_window(str(smollm))
    dialog = ModelSettingsDialog(window.store, str(smollm), "smol", window.settings)
    qtbot.addWidget(dialog)
    dialog.n_ctx.setValue(100)  # below the smallest useful context
    dialog.accept()
    assert "at least 256 tokens" in dialog.problems.text() and dialog.result() == 0


# -- the Hub and downloads, against the fake Hub on 127.0.0.1 (tests/hubfake) -------------------
@pytest.fixture
def hub_home(home, smollm2_hub, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", smollm2_hub.url)
    return smollm2_hub


def test_search_list_download_and_open_from_the_page(qtbot, open_window, smollm, hub_home, data_home):
    window = open_window(str(smollm))
    page = window.models_page
    page.tabs.setCurrentWidget(page.hub)
    page.hub.query.setText("SmolLM2")
    page.hub.search_button.click()
    qtbot.waitUntil(lambda: page.hub.results.count() > 0, timeout=30_000)
    assert page.hub.results.item(0).data(256) == "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"
    page.hub.results.setCurrentRow(0)
    qtbot.waitUntil(lambda: page.hub.files.topLevelItemCount() > 0, timeout=30_000)
    row = page.hub.files.topLevelItem(0)
    assert row.text(0) == "SmolLM2-135M-Instruct.Q4_1.gguf" and row.text(1) == "Q4_1"
    assert page.hub.files.currentItem() is row and row.text(3).startswith("Recommended: CPU only")
    page.hub.download_button.click()
    qtbot.waitUntil(lambda: bool(page.downloads.rows) and next(iter(page.downloads.rows.values())).open_button.isVisible(),
                    timeout=60_000)
    download = next(iter(page.downloads.rows.values()))
    final = data_home / "models" / "HuggingFaceTB" / "SmolLM2-135M-Instruct-GGUF" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert final.read_bytes() == smollm.read_bytes()
    assert "Downloaded and verified" in download.detail.text()
    qtbot.waitUntil(lambda: str(final) in rows(page), timeout=30_000)  # the library lists it, as DeskSeek's
    assert rows(page)[str(final)].text(4) == "DeskSeek"
    download.open_button.click()  # one click to chat with it
    assert window.chat_stack.currentWidget() is window.chat_view
    wait_model_state(qtbot, window, "ready")
    assert window.controller.model.path == str(final)


def test_a_download_shows_progress_and_cancel_deletes_the_partial_file(qtbot, open_window, smollm, hub_home, data_home):
    hub_home.faults.throttle(2e6)  # ~2 MB/s: the 90 MB file takes long enough to watch
    window = open_window(str(smollm))
    page = window.models_page
    page.show_repo("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF")
    qtbot.waitUntil(lambda: page.hub.files.topLevelItemCount() > 0, timeout=30_000)
    page.hub.download_button.click()
    qtbot.waitUntil(lambda: bool(page.downloads.rows) and next(iter(page.downloads.rows.values())).job.progress is not None
                    and next(iter(page.downloads.rows.values())).job.progress.rate > 0, timeout=30_000)
    download = next(iter(page.downloads.rows.values()))
    text = download.detail.text()
    assert " of " in text and "/s" in text and "left" in text, text
    assert 0 < download.bar.value() < 1000
    download.pause_button.click()
    qtbot.waitUntil(lambda: download.job.state == "paused", timeout=30_000)
    assert download.pause_button.text() == "Resume" and "paused" in download.detail.text()
    folder = data_home / "models" / "HuggingFaceTB"
    partial = list(folder.rglob("*.part"))
    assert partial and partial[0].stat().st_size > 0
    download.cancel_button.click()
    qtbot.waitUntil(lambda: download.job.state == "cancelled", timeout=30_000)
    assert "Cancelled" in download.detail.text()
    assert not list(folder.rglob("*.part")) and not list(folder.rglob("*.gguf"))


def test_a_missing_repo_is_a_sentence_on_the_page(qtbot, open_window, smollm, hub_home):
    window = open_window(str(smollm))
    page = window.models_page
    page.show_repo("nobody/nothing-GGUF")
    qtbot.waitUntil(lambda: not page.hub.background.busy("files"), timeout=30_000)
    assert "the repository nobody/nothing-GGUF does not exist" in page.hub.status.text()
    assert page.notice.text() == page.hub.status.text() and page.hub.files.topLevelItemCount() == 0


def test_a_671b_split_model_is_planned_from_its_headers_as_one_row(qtbot, open_window, smollm, hub_home, tmp_path):
    from tests.hubfake import sparse_gguf
    hub_home.add_sparse("unsloth/DeepSeek-V3-GGUF", sparse_gguf.write_deepseek(tmp_path / "v3", "Q4_K_M"),
                        folder_in_repo="DeepSeek-V3-Q4_K_M")
    hub_home.reset_log()
    window = open_window(str(smollm))
    page = window.models_page
    page.catalog.list.setCurrentItem(next(
        page.catalog.list.topLevelItem(i) for i in range(page.catalog.list.topLevelItemCount())
        if page.catalog.list.topLevelItem(i).text(0) == "DeepSeek-V3 (671B)"))
    page.catalog.files_button.click()  # the catalog's first GGUF repo, on the Hub tab
    assert page.tabs.currentWidget() is page.hub
    qtbot.waitUntil(lambda: not page.hub.background.busy("files") and not page.background.busy("catalog"),
                    timeout=120_000)
    assert page.hub.files.topLevelItemCount() == 1, page.hub.status.text()
    row = page.hub.files.topLevelItem(0)
    assert row.text(0).endswith("-00001-of-00009.gguf (9 parts)") and row.text(1) == "Q4_K_M"
    assert row.text(3) == "Does not fit" and "GiB" in row.toolTip(3)  # this test machine is far too small
    assert hub_home.bytes_served() < 16 * 1024 * 1024, "only headers were read, once"
    assert catalog_row_text(page, "DeepSeek-V3 (671B)").startswith("Does not fit, not even Q4_K_M")


def test_the_hub_address_is_a_setting_checked_before_it_is_kept(qtbot, open_window, smollm, hub_home, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there: the setting must win
    window = open_window(str(smollm))
    hub = window.models_page.hub
    assert not hub.set_endpoint("ftp://mirror") and "not a web address" in hub.status.text()
    assert hub.set_endpoint(hub_home.url) and hub_home.url in hub.status.text()
    hub.query.setText("SmolLM2")
    hub.search()
    qtbot.waitUntil(lambda: not hub.background.busy("search"), timeout=30_000)
    assert hub.results.count() == 1


def test_the_catalog_shows_each_model_s_verdict_planned_from_the_hub(qtbot, open_window, smollm, hub_home, tmp_path):
    from tests.hubfake import sparse_gguf
    lite = "mradermacher/DeepSeek-V2-Lite-Chat-GGUF"
    for quant in ("Q4_K_M", "Q8_0"):
        hub_home.add_sparse(lite, sparse_gguf.write_deepseek(tmp_path / quant, quant, sparse_gguf.V2_LITE, split=False))
    window = open_window(str(smollm))
    catalog = window.models_page.catalog
    first = catalog.list.topLevelItem(0)  # R1-Distill-Qwen-1.5B: not on this fake Hub
    qtbot.waitUntil(lambda: first.text(2) == "Unknown", timeout=30_000)
    assert "does not exist" in catalog.details.text()
    row = next(catalog.list.topLevelItem(i) for i in range(catalog.list.topLevelItemCount())
               if catalog.list.topLevelItem(i).text(0) == "DeepSeek-V2-Lite-Chat")
    catalog.list.setCurrentItem(row)
    qtbot.waitUntil(lambda: bool(row.text(2)) and row.text(2) != "Unknown", timeout=60_000)
    assert row.text(2).startswith(("Q4_K_M (", "Q8_0 (", "Does not fit")), row.text(2)
    assert row.toolTip(2) and row.text(2) in catalog.details.text()


def test_the_loaded_model_s_settings_show_the_planner_s_choice(qtbot, open_window, home, monkeypatch):
    store = open_store(app_paths().database)
    store.create_conversation(title="old")  # not a first launch: the page (and its scan) waits to be opened
    store.close()
    window = open_window(str(home["own"]))
    seen = []
    monkeypatch.setattr(ModelSettingsDialog, "exec", lambda dialog: seen.append(dialog.planned.text()) or False)
    window.edit_loaded_model_settings()  # before the library has looked: said so
    assert "once the Models page has looked" in seen[-1]
    window.show_models_page()
    window.models_page.tabs.setCurrentWidget(window.models_page.library)
    wait_scanned(qtbot, window.models_page)
    window.edit_loaded_model_settings()
    assert seen[-1] == "The planner runs it on cpu; the GPU numbers apply only on a GPU."


def test_a_download_left_unfinished_comes_back_paused_and_resumes(qtbot, open_window, smollm, hub_home, data_home):
    """A download interrupted in one session (the partial file and its sidecar stay) is listed,
    paused, when the window opens again; Resume finishes it, verified."""
    from app.models.pull import PullRequest, pull
    from app.models.download import DownloadControl
    from app.models.download_errors import DownloadStopped
    models = data_home / "models"
    request = PullRequest.for_file("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", "SmolLM2-135M-Instruct.Q4_1.gguf",
                                   hub_home.url, models)
    control = DownloadControl()

    def stop_early(progress):
        if progress.done > 10_000_000:
            control.pause()
    hub_home.faults.throttle(20e6)
    with pytest.raises(DownloadStopped):
        pull(request, control, stop_early)
    hub_home.faults.throttle(None)
    assert list(models.rglob("*.part"))
    window = open_window(str(smollm))
    page = window.models_page
    qtbot.waitUntil(lambda: only_download(page) is not None, timeout=30_000)
    row = only_download(page)
    assert row.job.state == "paused" and "Resume continues" in row.detail.text()
    hub_home.reset_log()
    row.pause_button.click()  # "Resume"
    qtbot.waitUntil(lambda: row.job.state == "done", timeout=60_000)
    assert request.first_path.read_bytes() == smollm.read_bytes()
    assert hub_home.bytes_served(server="cdn") < smollm.stat().st_size - 10_000_000, "only the rest was fetched"


def test_a_token_kept_from_the_page_opens_a_gated_repo(qtbot, open_window, smollm, hub_home, tmp_path):
    import keyring

    from tests.hubfake.server import SMOLLM2_REPO
    from tests.models.file_keyring import FileKeyring
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring(tmp_path / "keyring.json"))
    try:
        hub_home.repos[SMOLLM2_REPO].gated = "manual"
        hub_home.tokens.add("hf_right")
        window = open_window(str(smollm))
        hub = window.models_page.hub
        hub.set_token("hf_right")
        qtbot.waitUntil(lambda: not hub.background.busy("token"), timeout=30_000)
        assert "kept in the OS keyring" in hub.status.text()
        assert "hf_right" in (tmp_path / "keyring.json").read_text()
        window.models_page.show_repo(SMOLLM2_REPO)
        qtbot.waitUntil(lambda: hub.files.topLevelItemCount() > 0, timeout=30_000)
        hub.download_button.click()
        qtbot.waitUntil(lambda: only_download(window.models_page) is not None
                        and only_download(window.models_page).job.state in ("done", "failed"), timeout=60_000)
        assert only_download(window.models_page).job.state == "done", only_download(window.models_page).detail.text()
    finally:
        keyring.set_keyring(previous)


def test_the_library_says_where_each_model_runs_in_chinese(qtbot, open_window, smollm, home, qapp):
    from app.ui.i18n import install_language

    assert install_language(qapp, "zh_CN")
    try:
        window = open_window(str(smollm))
        page = window.models_page
        page.tabs.setCurrentWidget(page.library)
        wait_scanned(qtbot, page)
        ollama = rows(page)[str(home["ollama"])]
        assert ollama.text(5).startswith("仅 CPU，") and "词元/秒" in ollama.text(5), ollama.text(5)
        assert ollama.toolTip(5).startswith("未找到 CUDA GPU：在 CPU 上用"), ollama.toolTip(5)  # the planner's whole sentence
    finally:
        install_language(qapp, "en")
