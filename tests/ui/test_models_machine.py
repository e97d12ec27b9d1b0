"""The Models page planning for another machine, described as on the command line (--gpu, --ram,
--cores, --bandwidth), against the fake Hub serving a header-true sparse DeepSeek-V3."""
from __future__ import annotations

from app.models.machine_description import (
    DescriptionError, MachineDescription, load_description, save_description,
)
from app.ui.machine_choice import MachineDialog
from tests.ui.test_models_page import catalog_row_text, home, hub_home  # noqa: F401  (fixtures)

V3 = "DeepSeek-V3 (671B)"


def describe_with(monkeypatch, **fields):
    """Answer the next MachineDialog as a user would: type the fields, press OK; keep the dialog."""
    shown = []

    def fill(dialog):
        shown.append(dialog)
        for name, value in fields.items():
            widget = getattr(dialog, name)
            widget.setValue(value) if name == "cores" else widget.setText(value)
        dialog.accept()
        return dialog.result()
    monkeypatch.setattr(MachineDialog, "exec", fill)
    return shown


def test_the_page_plans_v3_for_a_described_machine_and_back(qtbot, open_window, smollm, hub_home, tmp_path,
                                                            monkeypatch):
    from tests.hubfake import sparse_gguf
    hub_home.add_sparse("unsloth/DeepSeek-V3-GGUF", sparse_gguf.write_deepseek(tmp_path / "v3", "Q4_K_M"),
                        folder_in_repo="DeepSeek-V3-Q4_K_M")
    window = open_window(str(smollm))
    page = window.models_page
    catalog = page.catalog
    catalog.list.setCurrentItem(next(catalog.list.topLevelItem(i) for i in range(catalog.list.topLevelItemCount())
                                     if catalog.list.topLevelItem(i).text(0) == V3))
    qtbot.waitUntil(lambda: catalog_row_text(page, V3).startswith("Does not fit"), timeout=120_000)
    here = catalog_row_text(page, V3)
    assert not page.machine_choice.planned_for.isVisible()

    shown = describe_with(monkeypatch, gpu_name="RTX 4090", gpu_memory="24GiB", ram="lots", cores=16)
    page.machine_choice.combo.activated.emit(1)  # "Another machine…"
    assert shown[0].result() == 0 and "RAM: 'lots' is not a size like 24GiB" in shown[0].problems.text()
    assert page.machine_choice.description is None and page.machine_choice.combo.currentIndex() == 0
    assert catalog_row_text(page, V3) == here and page.hub.machine is None

    shown = describe_with(monkeypatch, gpu_name="RTX 4090", gpu_memory="24GiB", ram="384GiB", cores=16)
    page.machine_choice.combo.activated.emit(1)
    assert page.machine_choice.planned_for.isVisible()
    assert page.machine_choice.planned_for.text() == "Planned for: RTX 4090 24.0 GiB, 384.0 GiB RAM, 16 cores"
    qtbot.waitUntil(lambda: catalog_row_text(page, V3) not in ("", here), timeout=120_000)
    assert "RTX 4090" in catalog_row_text(page, V3), (catalog_row_text(page, V3), catalog.details.text())
    assert catalog_row_text(page, V3).startswith("Q4_K_M (")  # the last resort: mapped from the disk
    assert load_description(window.store) == page.machine_choice.description  # the dialog reopens on it
    page.show_repo("unsloth/DeepSeek-V3-GGUF")  # the Hub tab plans for the same machine
    qtbot.waitUntil(lambda: page.hub.files.topLevelItemCount() == 1, timeout=120_000)
    assert page.hub.files.topLevelItem(0).text(3).startswith("Recommended: on RTX 4090")
    qtbot.waitUntil(lambda: not page.library.scanning, timeout=60_000)  # and the library
    library = page.library.table
    assert any("RTX 4090" in library.topLevelItem(i).text(5) for i in range(library.topLevelItemCount()))

    page.machine_choice.this_computer.click()
    assert not page.machine_choice.planned_for.isVisible() and page.machine_choice.combo.currentIndex() == 0
    page.tabs.setCurrentWidget(catalog)  # the catalog plans its selected entry when looked at again
    qtbot.waitUntil(lambda: catalog_row_text(page, V3) == here, timeout=120_000)
    qtbot.waitUntil(lambda: page.hub.files.topLevelItemCount() == 1, timeout=120_000)
    assert page.hub.files.topLevelItem(0).text(3) == "Does not fit"


def test_a_description_is_parsed_by_the_command_line_s_parsers_and_kept(tmp_path):
    from app.store import open_store
    from runtime.hardware import probe

    d = MachineDescription.from_entries("RTX 4090", "24GiB", "384GiB", 16, "400GB/s")
    hw = d.hardware(probe())
    assert [(g.name, g.total_bytes) for g in hw.gpus] == [("RTX 4090", 24 << 30)]
    assert (hw.ram_bytes, hw.free_physical_cores, hw.ram_bandwidth_bytes_s) == (384 << 30, 16, 400e9)
    assert MachineDescription.from_entries("", "", "", None, "").hardware(probe()).gpus == ()  # none: no GPU
    for entries, field in ((("RTX 4090", "", "", None, ""), "gpu"), (("A", "huge", "", None, ""), "gpu"),
                           (("", "", "", None, "fast"), "bandwidth")):
        try:
            MachineDescription.from_entries(*entries)
        except DescriptionError as exc:
            assert exc.field == field and str(exc)
        else:
            raise AssertionError(f"{entries} was accepted")
    store = open_store(tmp_path / "s.sqlite3")
    assert load_description(store) is None
    save_description(store, d)
    assert load_description(store) == d
    store.set_setting("models.described_machine", "{not json")
    assert load_description(store) is None
    store.close()
