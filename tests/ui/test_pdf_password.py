"""A password-protected PDF dropped on the real window asks for its password (QInputDialog,
answered here as a user would), is read with it, and the password is kept nowhere."""
import sqlite3

from PySide6.QtWidgets import QInputDialog, QLineEdit

from app.paths import app_paths
from tests.documents.test_extract import encrypt_pdf, make_pdf
from tests.ui.test_documents import drop_files, wait_documents

PASSWORD = "plum-7-Orchard"


def answer_dialogs(monkeypatch, answers):
    """QInputDialog.getText answers from `answers` in turn; returns the (label, echo mode) asked."""
    asked = []

    def get_text(parent, title, label, echo=QLineEdit.EchoMode.Normal, *a, **k):
        asked.append((label, echo))
        return answers.pop(0)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return asked


def test_a_wrong_password_asks_again_and_the_right_one_reads_it(qtbot, open_window, tmp_path, smollm,
                                                                 monkeypatch):
    locked = tmp_path / "salaries.pdf"
    locked.write_bytes(encrypt_pdf(make_pdf(["Alice earns 4100 a month.", "Bob earns 3900."]), PASSWORD, PASSWORD))
    asked = answer_dialogs(monkeypatch, [("guess", True), (PASSWORD, True)])
    window = open_window()
    drop_files(window, locked)
    wait_documents(qtbot, window, 1)
    assert [label for label, _ in asked] == ["salaries.pdf is password-protected. Its password:",
                                             "That password does not open salaries.pdf. Try again:"]
    assert {echo for _, echo in asked} == {QLineEdit.EchoMode.Password}
    [doc] = window.store.documents(window.controller.conversation_id)
    assert (doc.name, doc.pages) == ("salaries.pdf", 2)
    # Kept nowhere: not in any table of the history file (read through SQLite), not in the log.
    db = sqlite3.connect(app_paths().database)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for row in db.execute(f'SELECT * FROM "{table}"'):
            assert not any(isinstance(v, str) and PASSWORD in v for v in row), table
    db.close()
    log = app_paths().log_file
    assert not log.exists() or PASSWORD not in log.read_text(encoding="utf-8", errors="replace")


def test_cancelling_the_password_gets_a_sentence_and_attaches_nothing(qtbot, open_window, tmp_path, smollm,
                                                                      monkeypatch):
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(encrypt_pdf(make_pdf(["Secret plans."]), PASSWORD, PASSWORD))
    (tmp_path / "notes.md").write_text("# Notes\n\nOpen text.\n", encoding="utf-8")
    asked = answer_dialogs(monkeypatch, [("", False)])
    window = open_window()
    # The sentence goes to the notice bar, which notes.md's success may clear soon after: watch the signal.
    with qtbot.waitSignal(window.documents.error, timeout=30_000,
                          check_params_cb=lambda sentence: "locked.pdf was not attached" in sentence):
        drop_files(window, locked, tmp_path / "notes.md")
    wait_documents(qtbot, window, 1)  # the other file is read all the same
    assert len(asked) == 1
    assert [d.name for d in window.store.documents(window.controller.conversation_id)] == ["notes.md"]
