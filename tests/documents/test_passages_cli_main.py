"""`deskseek passages` called in this process, as `python -m app passages` calls it
(app.documents.passages_cli.main): everything the user reads from it, whole: the JSON fields,
the text layout, the help, and each refusal sentence with its exit status. Real files read into a
real (temporary) history file, the real embedding model. test_passages_cli.py runs the real
command in its own process; this file checks the same output where a mutation test can see it."""
from __future__ import annotations

import io
import json
import sys

import pytest

from app.documents.passages_cli import build_parser, main
from tests.documents.test_extract import make_pdf

LEASE = "# Lease\n\nThe tenant may park two cars in the garden.\n\n## Rent\n\nRent is due on the first day of each month.\n"
CONTRACT = "第一条 租户可以在花园里停放两辆汽车。\n第二条 房租应在每月五日之前支付给房东。\n"


@pytest.fixture(scope="module")
def files(qapp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("passages-main")
    (folder / "lease.md").write_text(LEASE, encoding="utf-8")
    (folder / "合同.txt").write_text(CONTRACT, encoding="utf-8")
    (folder / "ferry.pdf").write_bytes(make_pdf(["The ferry leaves at 06:40 from the north pier.",
                                                "The lighthouse keeper is paid 812 florins a year."]))
    return folder


def run(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_json_gives_each_question_its_passages_with_name_location_and_text(files, capsys):
    status, out, err = run(capsys, files / "lease.md", files / "合同.txt", "--question", "Where may the tenant park?",
                           "--json")
    assert (status, err) == (0, "")
    assert out.endswith("\n") and len(out.splitlines()) == 1
    assert json.loads(out) == {"question": "Where may the tenant park?", "passages": [
        {"name": "lease.md", "location": "", "text": LEASE.strip()},
        {"name": "合同.txt", "location": "", "text": CONTRACT.strip()}]}
    assert "合同.txt" in out  # UTF-8 output keeps the characters, not \\u escapes


def test_text_output_numbers_the_passages_and_cites_the_page(files, capsys):
    status, out, err = run(capsys, files / "ferry.pdf", "--question", "When does the ferry leave?")
    assert (status, err) == (0, "")
    assert out == ("Question: When does the ferry leave?\n"
                   "[1] ferry.pdf, p. 1\nThe ferry leaves at 06:40 from the north pier.\n"
                   "[2] ferry.pdf, p. 2\nThe lighthouse keeper is paid 812 florins a year.\n\n")


def test_a_console_that_is_not_utf8_gets_escapes_instead_of_characters(files, capsys, monkeypatch):
    for json_flag in (["--json"], []):
        console = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
        monkeypatch.setattr(sys, "stdout", console)
        assert main([str(files / "合同.txt"), "--question", "房租？", *json_flag]) == 0
        console.flush()
        written = console.buffer.getvalue().decode("ascii")
        monkeypatch.undo()
        if json_flag:
            assert json.loads(written)["passages"][0]["name"] == "合同.txt"
            assert written.startswith('{"question": "\\u623f\\u79df\\uff1f", "passages": [{"name": "\\u5408\\u540c.txt"')
        else:
            assert written.startswith("Question: \\u623f\\u79df\\uff1f\n[1] \\u5408\\u540c.txt\n\\u7b2c")


def test_questions_from_a_file_in_order_blank_lines_and_a_bom_allowed(files, capsys, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('\ufeff{"question": "Where may the tenant park?"}\n\n   \n{"question": "房租？", "id": 2}\n',
                         encoding="utf-8")
    status, out, err = run(capsys, files / "lease.md", "--questions", questions, "--json")
    assert (status, err) == (0, "")
    assert [json.loads(line)["question"] for line in out.splitlines()] == ["Where may the tenant park?", "房租？"]


def test_no_passages_is_said(files, capsys):
    status, out, err = run(capsys, files / "lease.md", "--question", "Where?", "--n-ctx", "1", "--reply-tokens", "0")
    assert (status, out, err) == (0, "Question: Where?\n(no passages)\n\n", "")
    status, out, err = run(capsys, files / "lease.md", "--question", "Where?", "--n-ctx", "1", "--reply-tokens", "0",
                           "--json")
    assert (status, json.loads(out), err) == (0, {"question": "Where?", "passages": []}, "")


def test_a_file_that_cannot_be_read_is_named_on_stderr_and_the_others_answer(files, capsys, tmp_path):
    status, out, err = run(capsys, tmp_path / "missing.txt", files / "lease.md", "--question", "rent", "--json")
    assert status == 1
    assert err == "deskseek: Could not read missing.txt: No such file or directory.\n"
    assert [p["name"] for p in json.loads(out)["passages"]] == ["lease.md"]


@pytest.mark.parametrize("args, sentence", [
    (["--n-ctx", "0"], "deskseek: --n-ctx must be at least 1 and --reply-tokens at least 0.\n"),
    (["--reply-tokens", "-1"], "deskseek: --n-ctx must be at least 1 and --reply-tokens at least 0.\n"),
])
def test_a_context_or_reserve_out_of_range_is_refused(files, capsys, args, sentence):
    status, out, err = run(capsys, files / "lease.md", "--question", "rent", *args)
    assert (status, out, err) == (2, "", sentence)


@pytest.mark.parametrize("content, says", [
    (b"not json\n", "{path}, line 1, is not JSON (Expecting value)."),
    (b'{"question": "ok"}\n\n{"q": "no"}\n', '{path}, line 3, has no "question" text.'),
    (b'["question"]\n', '{path}, line 1, has no "question" text.'),
    (b'{"question": 3}\n', '{path}, line 1, has no "question" text.'),
    (b"\xff\xfe{}\n", "could not read the questions in {path}: 'utf-8' codec can't decode byte 0xff in position 0: "
                      "invalid start byte."),
])
def test_a_bad_questions_file_is_refused_with_its_line(files, capsys, tmp_path, content, says):
    questions = tmp_path / "q.jsonl"
    questions.write_bytes(content)
    status, out, err = run(capsys, files / "lease.md", "--questions", questions)
    assert (status, out, err) == (2, "", "deskseek: " + says.format(path=questions) + "\n")


def test_a_missing_questions_file_is_named(files, capsys, tmp_path):
    status, out, err = run(capsys, files / "lease.md", "--questions", tmp_path / "none.jsonl")
    assert (status, out) == (2, "")
    assert err == f"deskseek: could not read the questions in {tmp_path / 'none.jsonl'}: No such file or directory.\n"


def test_the_help_says_what_each_option_does_with_the_windows_defaults():
    words = " ".join(build_parser().format_help().split())
    assert words.startswith("usage: deskseek passages [-h] (--question TEXT | --questions FILE.jsonl) [--n-ctx N] "
                            "[--reply-tokens N] [--json] FILE [FILE ...]")
    for said in [
        "Show the passages a question would be sent to the model with: the files are read, and the passages "
        "chosen, as the window does.",
        "FILE documents (PDF, scanned ones too, Word, PowerPoint, Excel, EPUB, HTML, Markdown, text, code, "
        "pictures of text)",
        "--question TEXT one question",
        '--questions FILE.jsonl questions, one JSON object a line with a "question" field',
        "--n-ctx N the model's context in tokens (default: 4096, the window's)",
        "--reply-tokens N tokens kept for the reply (default: 1024, the window's)",
        '--json one JSON object a line: {"question", "passages": [{"name", "location", "text"}]}',
    ]:
        assert said in words


@pytest.mark.parametrize("args, says", [
    (["--question", "a", "--questions", "q.jsonl"], "argument --questions: not allowed with argument --question"),
    ([], "one of the arguments --question --questions is required")])
def test_one_question_or_one_file_of_them_is_required(files, capsys, args, says):
    with pytest.raises(SystemExit) as exit_:
        main([str(files / "lease.md"), *args])
    assert exit_.value.code == 2
    assert says in capsys.readouterr().err


def test_a_question_in_another_language_finds_its_passage_by_meaning(capsys, tmp_path):
    """The command embeds the passages before it answers, as the window's reading thread does:
    an English question whose words the Chinese rules do not share still gets the vault's passage
    first (with room for about one passage)."""
    from tests.documents.test_meaning import TOPICS_ZH

    (tmp_path / "规定.txt").write_text("\n\n".join(TOPICS_ZH), encoding="utf-8")
    status, out, err = run(capsys, tmp_path / "规定.txt", "--question", "Who knows the code of the vault?",
                           "--n-ctx", "1024", "--reply-tokens", "256", "--json")
    assert (status, err) == (0, "")
    first = json.loads(out)["passages"][0]
    assert "七四二一" in first["text"] or "7421" in first["text"]
    status, out, err = run(capsys, tmp_path / "规定.txt", "--question", "Who knows the code of the vault?",
                           "--n-ctx", "1024", "--reply-tokens", "256")
    assert out.startswith("Question: Who knows the code of the vault?\n[1] 规定.txt\n")  # UTF-8: as it is


def test_a_file_stored_without_a_page_is_named_with_it_and_still_answers(capsys, tmp_path, monkeypatch):
    from app.documents import pdf_text
    from tests.documents.scans import scanned_pdf

    real = pdf_text.image_text
    pages = []

    def failing_on_the_second(image):
        pages.append(1)
        if len(pages) == 2:
            raise RuntimeError("onnxruntime: out of memory")
        return real(image)

    monkeypatch.setattr(pdf_text, "image_text", failing_on_the_second)
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf(["The tenant pays 812 euros.", "The ferry leaves at 06:40."]))
    status, out, err = run(capsys, tmp_path / "scan.pdf", "--question", "rent", "--json")
    assert (status, err) == (0, "deskseek: scan.pdf was attached without p. 2: the text there could not be read.\n")
    assert [(p["location"], "812 euros" in p["text"]) for p in json.loads(out)["passages"]] == [("p. 1", True)]
