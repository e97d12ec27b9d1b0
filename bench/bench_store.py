"""Store benchmark: fill a history database, time what the window does, record the figures.

    python bench/bench_store.py                      # 10,000 conversations, 1,000,000 messages
    python bench/bench_store.py --messages 50000 --conversations 500 --no-record   # quick look

Text is synthetic but shaped like chat: Zipf-distributed English and Chinese vocabularies,
40% Chinese, 40% English, 20% mixed; one conversation of 2,000 messages; some regenerated
replies (branches). The database is filled through `import_data`, the store's own bulk path.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from app.store import import_data, open_store  # noqa: E402
from app.store.cjk import fts_query  # noqa: E402
from app.store.ids import from_epoch, new_id  # noqa: E402

TARGETS_MS = {"list": 100.0, "search": 50.0, "open_2000": 50.0, "append": 5.0}
_SYLLABLES = "ka lo me ri su ta ne po vi da ge mu ra te si no ba ze lu fi".split()
_COMMON = ("the a to of and is in that it for you this with on be are can as not use data "
           "model python file error code memory question answer database query thread cache").split()
_HANZI = ("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么"
          "心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将"
          "外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走"
          "电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑"
          "性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清")
_TOPICS = ["数据库", "机器学习", "模型", "内存", "显卡", "量化", "推理", "上下文", "中文", "测试"]


def _zipf_weights(n: int) -> list[float]:
    total, cum = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank
        cum.append(total)
    return cum


class TextMaker:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        words = set()
        while len(words) < 20000:
            words.add("".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 4))))
        self.english = _COMMON + sorted(words)
        self.rng.shuffle(self.english[len(_COMMON):])
        cn = set()
        while len(cn) < 20000:
            cn.add("".join(self.rng.choice(_HANZI) for _ in range(self.rng.choice((2, 2, 2, 3, 4)))))
        self.chinese = _TOPICS + sorted(cn)
        self.rng.shuffle(self.chinese[len(_TOPICS):])
        self.en_cum, self.cn_cum = _zipf_weights(len(self.english)), _zipf_weights(len(self.chinese))

    def text(self, n_words: int) -> str:
        kind = self.rng.random()
        if kind < 0.4:
            return "".join(self.rng.choices(self.chinese, cum_weights=self.cn_cum, k=n_words)) + "。"
        if kind < 0.8:
            return " ".join(self.rng.choices(self.english, cum_weights=self.en_cum, k=n_words)) + "."
        half = n_words // 2
        return ("".join(self.rng.choices(self.chinese, cum_weights=self.cn_cum, k=half)) + " " +
                " ".join(self.rng.choices(self.english, cum_weights=self.en_cum, k=n_words - half)))


def make_conversation(maker: TextMaker, n_messages: int, start_s: float, branchy: bool = True) -> dict:
    rng, messages, parent, t = maker.rng, [], None, start_s
    models = ("deepseek-r1-7b", "qwen2.5-14b", "deepseek-v3")
    model = rng.choice(models)
    for i in range(n_messages):
        t += rng.uniform(5, 600)
        user = i % 2 == 0
        # Now and then a reply is regenerated: a sibling of the previous answer.
        if branchy and not user and rng.random() < 0.03 and len(messages) >= 2:
            parent = messages[-1]["parent_id"]
        msg = {"id": new_id(), "parent_id": parent, "role": "user" if user else "assistant",
               "content": maker.text(rng.randint(4, 30) if user else rng.randint(20, 120)),
               "status": "done", "created": from_epoch(t), "model": "" if user else model,
               "finish_reason": "" if user else "stop"}
        messages.append(msg)
        parent = msg["id"]
    return {"id": new_id(), "title": maker.text(4)[:40], "model": model, "created": from_epoch(start_s),
            "updated": from_epoch(t), "active_leaf_id": parent, "messages": messages}


def fill(store, n_conversations: int, n_messages: int, batch: int = 100) -> str:
    """Fill the store; returns the id of the 2,000-message conversation."""
    maker = TextMaker()
    big = min(2000, n_messages // 2)
    rest = (n_messages - big) // max(1, n_conversations - 1)
    extra = (n_messages - big) - rest * (n_conversations - 1)
    sizes = [big] + [rest + (1 if i < extra else 0) for i in range(n_conversations - 1)]
    start, pending, big_id = 1_700_000_000.0, [], ""
    for i, size in enumerate(sizes):
        conv = make_conversation(maker, size, start + i * 3000, branchy=i > 0)
        big_id = big_id or conv["id"]
        pending.append(conv)
        if len(pending) == batch or i == len(sizes) - 1:
            import_data(store, {"format": "deskseek-history", "version": 1,
                                "conversations": pending, "attachments": {}})
            pending = []
    return big_id


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def measure(path: Path, big_id: str) -> list[tuple[str, float, float, float | None]]:
    """(what, median ms, p95/max ms, target ms) rows."""
    rows = []
    t0 = time.perf_counter()
    store = open_store(path)
    rows.append(("open the database (migrations checked)", (time.perf_counter() - t0) * 1000, 0.0, None))
    n_conv = len(store.list_conversations(include_archived=True))
    t = timed(store.list_conversations, 15)
    rows.append((f"conversation list, all {n_conv} conversations", statistics.median(t), max(t), TARGETS_MS["list"]))
    t = timed(lambda: store.list_conversations(limit=200), 15)
    rows.append(("conversation list, first page of 200", statistics.median(t), max(t), TARGETS_MS["list"]))
    for label, query, kwargs in [("English, mid-frequency word", "memory", {}),
                                 ("Chinese two-character word", "推理", {}),
                                 ("Chinese 3-word phrase", "数据库 模型 中文", {}),
                                 ("English two words", "python error", {}),
                                 ("Chinese word + model filter", "显卡", {"model": "deepseek-v3"}),
                                 ("English word + date filter", "cache", {"since": "2023-12-01"}),
                                 ("Chinese single character (prefix)", "水", {}),
                                 ("English prefix", "data*", {}),
                                 ("very common word (worst case)", "the", {})]:
        found = store._db.execute("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?",
                                  [fts_query(query)]).fetchone()[0]
        store.search(query, **kwargs)
        t = timed(lambda: store.search(query, **kwargs), 7)
        rows.append((f"search: {label} '{query}' ({found} messages match)", statistics.median(t), max(t),
                     TARGETS_MS["search"]))
    n_big = len(store.messages(big_id))
    t = timed(lambda: store.messages(big_id), 15)
    rows.append((f"open a conversation ({n_big} messages)", statistics.median(t), max(t), TARGETS_MS["open_2000"]))
    conv = store.create_conversation("bench appends")
    t = timed(lambda: store.add_message(conv.id, "user", "追加一条消息 append one message"), 200)
    rows.append(("append a message (committed, fsync)", statistics.median(t), sorted(t)[189], TARGETS_MS["append"]))
    reply = store.start_reply(conv.id, parent_id=store.messages(conv.id)[-1].id, model="m")
    grown = iter(range(1, 101))  # the reply grows by about 26 characters per checkpoint
    t = timed(lambda: store.checkpoint_reply(reply.id, "partial text " * 2 * next(grown)), 100)
    rows.append(("checkpoint a streaming reply (up to 2.6 kB)", statistics.median(t), sorted(t)[94], None))
    store.finish_reply(reply.id, content="done", finish_reason="stop")
    n_msgs = store._db.execute("SELECT count(*) FROM messages").fetchone()[0]
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    rows.append((f"database size: {size / 2**20:.0f} MiB for {n_msgs} messages, bytes/message",
                 size / n_msgs, 0.0, None))
    return rows


def table(rows) -> str:
    lines = ["| what | median | p95 / max | target |", "|---|---:|---:|---:|"]
    for what, median, worst, target in rows:
        unit = "" if what.startswith("database size") else " ms"
        mark = "" if target is None else (" ✅" if median < target else " ❌")
        lines.append(f"| {what} | {median:.1f}{unit}{mark} | {f'{worst:.1f}{unit}' if worst else ''} | "
                     f"{'' if target is None else f'< {target:.0f} ms'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conversations", type=int, default=10_000)
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, help="reuse (or create and keep) this database")
    ap.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = ap.parse_args(argv)
    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-store-")
        args.db = Path(tmp.name) / "history.db"
    t0 = time.perf_counter()
    if args.db.exists():
        big_id = sqlite3.connect(args.db).execute(
            "SELECT conversation_id FROM messages GROUP BY conversation_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        fill_s = None
    else:
        with open_store(args.db) as store:
            big_id = fill(store, args.conversations, args.messages)
        fill_s = time.perf_counter() - t0
    result = table(measure(args.db, big_id))
    command = "python bench/bench_store.py " + " ".join(argv if argv is not None else sys.argv[1:])
    header = (f"### {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — `{command.strip()}`\n\n"
              f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
              f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
              f"SQLite {sqlite3.sqlite_version}. "
              + (f"Fill: {args.messages} messages in {fill_s:.0f} s." if fill_s else "Reused database."))
    report = header + "\n\n" + result + "\n"
    print(report)
    if not args.no_record:
        _record(Path(__file__).with_name("RESULTS.md"), report)
    if tmp is not None:
        tmp.cleanup()
    return report


def _record(results: Path, report: str) -> None:
    """Append to the end of this file's own "## Store" section; other sections stay as they are."""
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    if "\n## Store\n" not in text:
        text = text.rstrip() + "\n\n## Store\n\nWritten by `bench/bench_store.py`; newest last.\n"
    start = text.index("\n## Store\n") + len("\n## Store\n")
    following = text.find("\n## ", start)
    end = len(text) if following < 0 else following
    section = text[start:end].rstrip() + "\n\n" + report
    results.write_text(text[:start] + section + ("\n" + text[end:].lstrip("\n") if following >= 0 else ""),
                       encoding="utf-8")


if __name__ == "__main__":
    main()
