"""`deskseek passages FILE... (--question TEXT | --questions FILE.jsonl) [--n-ctx N] [--reply-tokens N] [--json]`.

Reads the files once into a temporary history database, exactly as the window reads dropped files
(app.documents.read: passages, then their vectors), then asks app.documents.quote which passages each question would be sent
with, in the order the model sees them. The context and reply reserve are the window's defaults
(app.settings, and the planner's context when the setting says "the model's own") unless given.
A file that cannot be read gets its sentence on stderr (exit status 1); the others still answer.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from app.documents.extract import DocumentError
from app.documents.quote import quote_documents
from app.documents.read import embed_documents, read_document
from app.documents.reading import Reading, unread_sentence
from app.settings import Settings
from app.store import Passage, Store, open_store
from runtime.planning.choose import DEFAULT_CONTEXT
from runtime.types import ChatMessage


def build_parser() -> argparse.ArgumentParser:
    defaults = Settings()
    p = argparse.ArgumentParser(prog="deskseek passages", description=(
        "Show the passages a question would be sent to the model with: the files are read, and "
        "the passages chosen, as the window does."))
    p.add_argument("files", nargs="+", metavar="FILE", help="documents (PDF, scanned ones too, Word, PowerPoint, "
                   "Excel, EPUB, HTML, Markdown, text, code, pictures of text)")
    asked = p.add_mutually_exclusive_group(required=True)
    asked.add_argument("--question", metavar="TEXT", help="one question")
    asked.add_argument("--questions", type=Path, metavar="FILE.jsonl",
                       help='questions, one JSON object a line with a "question" field')
    p.add_argument("--n-ctx", type=int, default=defaults.n_ctx or DEFAULT_CONTEXT, metavar="N",
                   help="the model's context in tokens (default: %(default)s, the window's)")
    p.add_argument("--reply-tokens", type=int, default=defaults.max_tokens, metavar="N",
                   help="tokens kept for the reply (default: %(default)s, the window's)")
    p.add_argument("--json", action="store_true",
                   help='one JSON object a line: {"question", "passages": [{"name", "location", "text"}]}')
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.n_ctx < 1 or args.reply_tokens < 0:
        print("deskseek: --n-ctx must be at least 1 and --reply-tokens at least 0.", file=sys.stderr)
        return 2
    try:
        questions = [args.question] if args.question is not None else read_questions(args.questions)
    except ValueError as exc:
        print(f"deskseek: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="deskseek-passages-") as tmp:
        store = open_store(Path(tmp) / "passages.sqlite3")
        try:
            return _answer(store, args, questions)
        finally:
            store.close()


def _answer(store: Store, args: argparse.Namespace, questions: list[str]) -> int:
    cid = store.create_conversation().id
    status = 0
    for path in args.files:
        reading = Reading()
        try:
            read_document(store, cid, path, reading=reading)
        except DocumentError as exc:
            print(f"deskseek: {exc}", file=sys.stderr)
            status = 1
        else:
            if reading.unread:  # stored without some pages: say which, as the window does
                print(f"deskseek: {unread_sentence(Path(path).name, reading.unread)}", file=sys.stderr)
    embed_documents(store, cid)  # as the window's reading thread does after the files are listed
    ascii_only = not (sys.stdout.encoding or "").lower().replace("-", "").startswith("utf")
    for question in questions:
        history = [ChatMessage("user", question)]
        passages = quote_documents(store, cid, history, args.n_ctx, args.reply_tokens)
        if args.json:
            print(json.dumps({"question": question, "passages": [_as_json(p) for p in passages]},
                             ensure_ascii=ascii_only))
        else:
            print(_as_text(question, passages, ascii_only))
        sys.stdout.flush()
    return status


def read_questions(path: Path) -> list[str]:
    """The "question" of each JSON object line of `path` (blank lines skipped); ValueError names
    the file and line that is not one."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"could not read the questions in {path}: {getattr(exc, 'strerror', None) or exc}.") from exc
    questions = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}, line {n}, is not JSON ({exc.msg}).") from exc
        if not isinstance(row, dict) or not isinstance(row.get("question"), str):
            raise ValueError(f'{path}, line {n}, has no "question" text.')
        questions.append(row["question"])
    return questions


def _as_json(passage: Passage) -> dict:
    return {"name": passage.name, "location": passage.location, "text": passage.text}


def _as_text(question: str, passages: list[Passage], ascii_only: bool) -> str:
    lines = [f"Question: {question}"]
    if not passages:
        lines.append("(no passages)")
    for n, p in enumerate(passages, 1):
        lines += [f"[{n}] {p.name}, {p.location}" if p.location else f"[{n}] {p.name}", p.text.strip()]
    text = "\n".join(lines) + "\n"
    return text.encode("ascii", "backslashreplace").decode() if ascii_only else text
