"""Export files written whole or not at all, as UTF-8 whatever the locale, into folders made on the
way, beside their final name; refusals in whole sentences; zip archives refused as soon as their
members together inflate past a limit, counted a chunk at a time."""
import io
import os
import subprocess
import sys
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from app.store import StoreError, export_markdown, open_store
from app.store.export_markdown import conversation_markdown
from app.store.files import ZIP_CHUNK, ZipMemberTooLarge, check_unpacked_size, write_text_atomic

ROOT = Path(__file__).resolve().parents[2]


def test_an_export_makes_the_missing_folders_on_its_way(store, tmp_path):
    c = store.create_conversation(title="Deep")
    path = tmp_path / "a" / "b" / "c" / "out.md"
    assert export_markdown(store, path, [c.id]) == 1
    assert path.read_text(encoding="utf-8") == conversation_markdown(store, c.id)
    assert os.listdir(path.parent) == ["out.md"]  # no temporary left beside it


def test_an_export_does_not_need_the_system_temporary_folder(store, tmp_path, monkeypatch):
    """The temporary is written beside the file: the rename is then atomic on any disk (a USB
    stick too), and a TMPDIR that points nowhere does not matter."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no such temp folder"))
    c = store.create_conversation(title="Beside")
    path = tmp_path / "out" / "out.md"
    export_markdown(store, path, [c.id])
    assert path.read_text(encoding="utf-8") == conversation_markdown(store, c.id)


def test_an_export_is_utf8_whatever_the_locale_says(tmp_path):
    db = tmp_path / "h.db"
    with open_store(db) as store:
        c = store.create_conversation(title="停车场 café")
        store.add_message(c.id, "user", "Où est le 停车场?\nLine two.")
        expected = conversation_markdown(store, c.id).encode("utf-8")
    out = tmp_path / "out.md"
    script = ("import sys; from pathlib import Path; from app.store import open_store, export_markdown\n"
              "s = open_store(Path(sys.argv[1])); export_markdown(s, Path(sys.argv[2])); s.close()")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    done = subprocess.run([sys.executable, "-X", "utf8=0", "-c", script, str(db), str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == expected


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "out.md"
    path.write_text("the old export\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(path, "half written \ud800 then it fails")  # a lone surrogate has no UTF-8
    assert os.listdir(tmp_path) == ["out.md"]
    assert path.read_text(encoding="utf-8") == "the old export\n"


def test_an_export_into_a_file_instead_of_a_folder_is_refused_with_the_systems_words(store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as refused:
        export_markdown(store, blocker / "sub" / "export.md")
    assert str(refused.value) == (f"The export could not be written to {blocker / 'sub'}: Not a directory. "
                                  "Choose a folder you may write to, with free space.")


def zip_of(members: dict[str, bytes], path: Path | None = None) -> zipfile.ZipFile:
    target = path or io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    if isinstance(target, io.BytesIO):
        target.seek(0)
    return zipfile.ZipFile(target)


def test_members_together_up_to_exactly_the_limit_pass_one_byte_more_is_refused(tmp_path):
    members = {"a.xml": b"a" * 600, "b.xml": b"b" * 400}
    with zip_of(members, tmp_path / "book.xlsx") as z:
        check_unpacked_size(z, 1000)
        with pytest.raises(ZipMemberTooLarge) as refused:
            check_unpacked_size(z, 999)
        assert str(refused.value) == f"{tmp_path / 'book.xlsx'} unpacks to more than 999 bytes"
        with pytest.raises(ZipMemberTooLarge):
            check_unpacked_size(z, 599)  # the first member alone is too much
    with zip_of(members) as z, pytest.raises(ZipMemberTooLarge) as refused:  # no file name
        check_unpacked_size(z, 999)
    assert str(refused.value) == "the archive unpacks to more than 999 bytes"


def test_many_chunks_are_counted_together_and_nothing_is_kept(tmp_path):
    """A bomb is refused after a few chunks: 64 MiB of zeros is never inflated into memory."""
    with zip_of({"first.xml": bytes(3 * ZIP_CHUNK // 2), "bomb.xml": bytes(64 * ZIP_CHUNK)}) as z:
        tracemalloc.start()
        try:
            with pytest.raises(ZipMemberTooLarge):
                check_unpacked_size(z, 4 * ZIP_CHUNK)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 8 * ZIP_CHUNK
