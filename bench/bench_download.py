"""Download throughput: DeskSeek's downloader vs curl, from the same local fake Hub, same file.

    python bench/bench_download.py                 # 1 GiB sparse file, 3 rounds, appends to RESULTS.md
    python bench/bench_download.py --mib 256 --rounds 2 --no-record

The fake Hub (`python -m tests.hubfake`) runs as its own process, so neither client shares a GIL
with the server. Each round fetches the file with `curl -L` (following the Hub's 302 to its CDN,
writing the file, nothing else) and with DeskSeek — both in-process (`app.models.pull.pull`: the
Range GET, sha256, write, fsync, verify, rename) and as the `deskseek pull` command (the same
plus Python's start-up). The ratio is curl's time over DeskSeek's, round by round; the medians
are reported. Goal: >= 0.9. `os.sync()` before each timed fetch, so no client waits behind the
previous one's dirty pages (curl never fsyncs; DeskSeek does before it verifies and renames).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from app.models.pull import PullRequest, pull  # noqa: E402

REPO = "bench/sparse-GGUF"
NAME = "bench-Q4_K_M.gguf"


def main() -> int:
    args = _parser().parse_args()
    if not shutil.which("curl"):
        print("curl is missing: apt-get install -y curl", file=sys.stderr)
        return 2
    size = args.mib * 2**20
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        tmp = Path(tmp)
        source = tmp / "served" / REPO / NAME
        source.parent.mkdir(parents=True)
        with open(source, "wb") as f:
            f.truncate(size)  # a hole: zeros on read, nothing on disk
        server, endpoint = _start_hub(tmp / "served")
        try:
            rows = _rounds(endpoint, tmp / "out", size, args.rounds)
        finally:
            server.terminate()
            server.wait(10)
    _report(rows, size, args)
    return 0


def _rounds(endpoint: str, out: Path, size: int, rounds: int) -> list[dict]:
    url = f"{endpoint}/{REPO}/resolve/main/{NAME}"
    request = PullRequest.for_file(REPO, NAME, endpoint, out / "pull")
    out.mkdir(parents=True, exist_ok=True)
    _head_once(request)  # the server hashes the file on its first HEAD; not part of any timing
    rows = []
    for i in range(rounds):
        row = {}
        curl_out = out / "curl.gguf"
        os.sync()  # each client starts with no one else's dirty pages to wait behind
        t = time.perf_counter()
        subprocess.run(["curl", "-sS", "-L", "-o", str(curl_out), url], check=True)
        row["curl"] = time.perf_counter() - t
        assert curl_out.stat().st_size == size
        curl_out.unlink()

        os.sync()
        t = time.perf_counter()
        path = pull(request)
        row["pull"] = time.perf_counter() - t
        path.unlink()

        os.sync()
        t = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "app", "pull", f"{REPO}/{NAME}", "--endpoint", endpoint,
                              "--dir", str(out / "cli")], capture_output=True, text=True,
                             env=os.environ | {"PYTHONPATH": str(ROOT)})
        row["cli"] = time.perf_counter() - t
        if run.returncode != 0:
            raise SystemExit(run.stderr)
        Path(run.stdout.splitlines()[-1]).unlink()
        print(f"round {i + 1}: curl {row['curl']:.2f} s, pull() {row['pull']:.2f} s, "
              f"deskseek pull {row['cli']:.2f} s", flush=True)
        rows.append(row)
    return rows


def _head_once(request: PullRequest) -> None:
    from app.models.download_source import locate_source
    from app.models.hub import HubClient

    locate_source(HubClient(request.endpoint, token=False), request.repo, request.files[0])


def _start_hub(folder: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.hubfake", str(folder)], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)})
    line = proc.stdout.readline()  # "hub http://127.0.0.1:PORT  cdn ...  repos: ..."
    if not line.startswith("hub "):
        proc.kill()
        raise SystemExit(f"the fake Hub did not start: {line!r}")
    return proc, line.split()[1]


def _report(rows: list[dict], size: int, args) -> None:
    mib = size / 2**20
    med = {k: statistics.median(r[k] for r in rows) for k in ("curl", "pull", "cli")}
    ratio_pull = statistics.median(r["curl"] / r["pull"] for r in rows)
    ratio_cli = statistics.median(r["curl"] / r["cli"] for r in rows)
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
               f"Python {platform.python_version()}, {_curl_version()}; sha256 alone "
               f"{_sha256_mib_s():.0f} MiB/s on this CPU; other jobs sharing the machine")
    table = "\n".join([
        "| client | median time | throughput | ratio curl/it (median of rounds) | goal |",
        "|---|---:|---:|---:|---:|",
        f"| curl -L (anchor) | {med['curl']:.2f} s | {mib / med['curl']:.0f} MiB/s | 1.00 | |",
        f"| `app.models.pull.pull` (in-process) | {med['pull']:.2f} s | {mib / med['pull']:.0f} MiB/s "
        f"| {ratio_pull:.2f} | >= 0.9 |",
        f"| `deskseek pull` (a process) | {med['cli']:.2f} s | {mib / med['cli']:.0f} MiB/s | {ratio_cli:.2f} | |",
    ])
    text = (f"\n## Download throughput ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC)\n"
            f"`python bench/bench_download.py --mib {args.mib} --rounds {args.rounds} --tmp {args.tmp}`: a {mib:.0f} MiB sparse "
            f"file from the fake Hub (its own process, 302 to its CDN, sendfile) on 127.0.0.1, into "
            f"{args.tmp or tempfile.gettempdir()}.\nMachine: {machine}.\n\n{table}\n")
    print(text)
    if not args.no_record:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as f:
            f.write(text)


def _curl_version() -> str:
    out = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout
    return " ".join(out.split()[:2])


def _sha256_mib_s() -> float:
    block = bytes(64 * 2**20)
    t = time.perf_counter()
    hashlib.sha256(block).digest()
    return 64 / (time.perf_counter() - t)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mib", type=int, default=1024, help="file size in MiB (default 1024)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--tmp", default="/dev/shm" if os.path.isdir("/dev/shm") else None,
                   help="where to write (default /dev/shm, a tmpfs: the network, the checksum and the "
                        "pipeline are measured, not the disk; give a disk folder to include its writeback, "
                        "which DeskSeek's fsync waits for and curl does not)")
    p.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    return p


if __name__ == "__main__":
    sys.exit(main())
