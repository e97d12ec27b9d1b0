"""`deskseek passages`, run as a user runs it: the real command in its own process, on real files
(a PDF written by Qt, Markdown, text, in English and Chinese), compared with what the window's own
reading thread and quoting give for the same files."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.documents.test_extract import make_pdf

ROOT = Path(__file__).resolve().parents[2]

FILLER = ("The committee met again and reviewed the minutes of the previous session without changes. "
          "Members discussed the schedule, the printing of reports and the order of the agenda items. ")
FACTS = {4: "The lighthouse keeper is paid 812 florins a year.",
         7: "The ferry to the island leaves at 06:40 from the north pier."}


def run_passages(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "app", "passages", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def json_lines(out: subprocess.CompletedProcess) -> list[dict]:
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture(scope="module")
def files(qapp, tmp_path_factory):
    """A 9-page PDF too long to quote whole (a fact on p. 4 and p. 7), an English Markdown file
    and a Chinese text file."""
    folder = tmp_path_factory.mktemp("passages")
    pages = [FILLER * 5 + FACTS.get(n, "") + " " + FILLER * 3 for n in range(1, 10)]
    (folder / "minutes.pdf").write_bytes(make_pdf(pages))
    (folder / "lease.md").write_text("# Lease\n\nThe tenant may park two cars in the garden.\n\n"
                                     "## Rent\n\nRent is due on the first day of each month.\n", encoding="utf-8")
    (folder / "年报.pdf").write_bytes(make_pdf(["本公司全年经营稳定，各部门按计划完成了工作。" * 6,
                                              "第二季度的营业收入为三千万元，比去年同期增长百分之十二。",
                                              "董事会建议下一年度继续扩大研发投入。"]))
    (folder / "合同.txt").write_text("第一条 租户可以在花园里停放两辆汽车。\n"
                                    "第二条 房租应在每月五日之前支付给房东。\n", encoding="utf-8")
    return folder


def test_a_question_gets_the_page_that_answers_it_first(files):
    [row] = json_lines(run_passages(files / "minutes.pdf", "--question", "How much is the lighthouse keeper paid?",
                                    "--json"))
    assert row["question"] == "How much is the lighthouse keeper paid?"
    first = row["passages"][0]
    assert (first["name"], first["location"]) == ("minutes.pdf", "p. 4")
    assert "812 florins" in first["text"]
    assert all(set(p) == {"name", "location", "text"} for p in row["passages"])
    assert len(row["passages"]) < 9  # ranked and cut to the budget, not the whole file


def test_a_chinese_question_gets_the_page_of_a_chinese_pdf(files):
    [row] = json_lines(run_passages(files / "minutes.pdf", files / "年报.pdf", "--question", "第二季度的营业收入是多少？",
                                    "--json"))
    assert (row["passages"][0]["name"], row["passages"][0]["location"]) == ("年报.pdf", "p. 2")
    assert "三千万元" in row["passages"][0]["text"]


def test_questions_from_a_file_answer_in_order_across_files_and_languages(files, tmp_path):
    asked = ["When does the ferry leave?", "房租什么时候支付？", "Where may the tenant park?"]
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps({"question": q, "id": i}, ensure_ascii=False)
                                   for i, q in enumerate(asked)) + "\n\n", encoding="utf-8")
    rows = json_lines(run_passages(files / "minutes.pdf", files / "lease.md", files / "合同.txt",
                                   "--questions", questions, "--json"))
    assert [r["question"] for r in rows] == asked
    ferry, rent, park = (r["passages"] for r in rows)
    assert (ferry[0]["location"], "06:40" in ferry[0]["text"]) == ("p. 7", True)
    assert any(p["name"] == "合同.txt" and "每月五日" in p["text"] for p in rent[:2])
    assert any(p["name"] == "lease.md" and "two cars" in p["text"] for p in park[:2])


def test_the_same_passages_as_the_windows_reading_thread(files, qtbot, tmp_path):
    """The window's DocumentIntake reads the same files into a real history file and embeds them;
    quoting there gives exactly what the command printed."""
    from app.documents.meaning import conversation_embedder
    from app.documents.quote import quote_documents
    from app.store import open_store
    from app.ui.document_intake import DocumentIntake
    from runtime.types import ChatMessage

    names = ["minutes.pdf", "lease.md", "合同.txt"]
    question = "When does the ferry leave, and where may the tenant park?"
    [row] = json_lines(run_passages(*(files / n for n in names), "--question", question, "--json"))
    store = open_store(tmp_path / "history.sqlite3")
    intake = DocumentIntake(store)
    cid = store.create_conversation().id
    for name in names:  # one at a time, so the documents keep the command's order
        with qtbot.waitSignal(intake.stored, timeout=60_000):
            intake.attach(cid, [str(files / name)])
    # The reading thread embeds the passages after listing them (the command, before it answers).
    model = conversation_embedder(store)
    qtbot.waitUntil(lambda: not store.passages_without_vectors(cid, model.name, 4 * model.dim), timeout=120_000)
    intake.close()
    quoted = quote_documents(store, cid, [ChatMessage("user", question)], 4096, 1024)
    store.close()
    assert row["passages"] == [{"name": p.name, "location": p.location, "text": p.text} for p in quoted]


def test_a_smaller_context_quotes_less_and_text_output_numbers_the_passages(files):
    question = "What did the committee discuss about the schedule?"
    big = json_lines(run_passages(files / "minutes.pdf", "--question", question, "--json", "--n-ctx", "8192"))
    small = json_lines(run_passages(files / "minutes.pdf", "--question", question, "--json",
                                    "--n-ctx", "2048", "--reply-tokens", "1024"))
    assert 0 < len(small[0]["passages"]) < len(big[0]["passages"])
    out = run_passages(files / "lease.md", "--question", "Where may the tenant park?")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Question: Where may the tenant park?\n[1] lease.md\n# Lease")


def test_a_file_that_cannot_be_read_gets_a_sentence_and_the_others_still_answer(files, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << garbage")
    out = run_passages(broken, files / "lease.md", tmp_path / "missing.txt", "--question", "rent", "--json")
    assert out.returncode == 1
    assert "broken.pdf is damaged or not a PDF" in out.stderr
    assert "Could not read missing.txt" in out.stderr
    [row] = [json.loads(line) for line in out.stdout.splitlines()]
    assert [p["name"] for p in row["passages"]] == ["lease.md"]


@pytest.mark.parametrize("content, says", [("not json\n", "line 1, is not JSON"),
                                           ('{"question": "ok"}\n{"q": "no"}\n', 'line 2, has no "question"')])
def test_a_bad_questions_file_is_named_with_its_line(files, tmp_path, content, says):
    questions = tmp_path / "q.jsonl"
    questions.write_text(content, encoding="utf-8")
    out = run_passages(files / "lease.md", "--questions", questions)
    assert out.returncode == 2 and says in out.stderr and out.stdout == ""


def test_help_lists_the_command():
    out = subprocess.run([sys.executable, "-m", "app", "--help"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "deskseek passages  Show the passages" in out.stdout


def test_a_scanned_pdf_is_read_by_ocr_and_quoted_with_its_page(tmp_path):
    from tests.documents.scans import scanned_pdf

    (tmp_path / "scan.pdf").write_bytes(scanned_pdf(["The tenant pays 812 euros\non the first day of each month.",
                                                     "The ferry to the island\nleaves at 06:40 from the north pier."]))
    out = run_passages(tmp_path / "scan.pdf", "--question", "When does the ferry leave the pier?", "--json",
                       timeout=600)
    [row] = json_lines(out)
    assert out.stderr == ""
    # Small enough to be quoted whole, in page order; each page cites its page.
    assert [(p["name"], p["location"]) for p in row["passages"]] == [("scan.pdf", "p. 1"), ("scan.pdf", "p. 2")]
    assert "812 euros" in row["passages"][0]["text"]
    assert "06:40" in row["passages"][1]["text"] and "north pier" in row["passages"][1]["text"]


def test_a_page_that_cannot_be_read_is_named_and_its_traceback_goes_to_the_log(qapp, tmp_path):
    """A reader's crash on one page: the terminal gets the command's sentence only; the warning
    and its traceback go to the log file, as in the window (before, Python's last-resort handler
    printed both on stderr ahead of the sentence)."""
    pdf = tmp_path / "three.pdf"
    pdf.write_bytes(make_pdf(["The first page is about apples.", "The second page is lost.",
                              "The third page is about pears."]))
    home = tmp_path / "home"
    script = ("import sys, app.documents.pdf_text as p\n"
              "real = p._page_text\n"
              "def page_text(pdf, n):\n"
              "    if n == 1:\n"
              "        raise RuntimeError('a damaged content stream')\n"
              "    return real(pdf, n)\n"
              "p._page_text = page_text\n"
              "from app.__main__ import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "DESKSEEK_HOME": str(home)}
    out = subprocess.run([sys.executable, "-c", script, "passages", str(pdf), "--question", "pears"], cwd=ROOT,
                         env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stderr == "deskseek: three.pdf was attached without p. 2: the text there could not be read.\n"
    assert "The third page is about pears." in out.stdout
    log = (home / "logs" / "deskseek.log").read_text(encoding="utf-8")
    assert "three.pdf p. 2 is unreadable" in log and "RuntimeError: a damaged content stream" in log
