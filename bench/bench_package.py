"""The packaged app against the source install: archive size, and launch to a shown window.

    .venv/bin/python bench/bench_package.py [ARCHIVE] [--runs 7]
ARCHIVE defaults to the newest dist/DeskSeek-*.tar.gz (bash packaging/build-app.sh makes it). Each
round starts the source install's `deskseek` and the unpacked package's, alternating, with an empty
data folder each, until the first paint (DESKSEEK_STARTUP_PROBE); the package runs with an empty
environment as a user's launcher would. Prints a table and appends it to bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shown_after(cmd: list[str], env: dict) -> float:
    with tempfile.TemporaryDirectory() as home:
        env = {**env, "DESKSEEK_HOME": home, "DESKSEEK_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"}
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in proc.stdout:
            if line.startswith("shown_after_s="):
                elapsed = time.perf_counter() - start
                break
        else:
            raise RuntimeError(f"{cmd[0]} ended without showing its window")
        proc.wait(timeout=60)
        return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("archive", nargs="?")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    archive = Path(args.archive) if args.archive else max((ROOT / "dist").glob("DeskSeek-*.tar.gz"),
                                                           key=lambda p: p.stat().st_mtime)
    with tempfile.TemporaryDirectory() as where:
        with tarfile.open(archive) as tar:
            tar.extractall(where, filter="tar")
        app = Path(where) / "DeskSeek"
        unpacked = sum(p.stat().st_size for p in app.rglob("*") if p.is_file() and not p.is_symlink())
        source_cmd = [str(ROOT / ".venv" / "bin" / "deskseek")]
        package_cmd = [str(app / "deskseek")]
        clean = {"HOME": tempfile.mkdtemp(), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        shown_after(source_cmd, dict(os.environ))  # first runs fill the page cache for both
        shown_after(package_cmd, clean)
        source, package = [], []
        for _ in range(args.runs):
            source.append(shown_after(source_cmd, dict(os.environ)))
            package.append(shown_after(package_cmd, clean))
    s, p = statistics.median(source), statistics.median(package)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    table = "\n".join([
        f"## Packaged app vs source install ({stamp})",
        "",
        f"`python bench/bench_package.py {archive.name} --runs {args.runs}` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        "| | size | launch to shown window (median) | vs source |",
        "|---|---:|---:|---:|",
        f"| source install (`.venv/bin/deskseek`) | | {s:.2f} s | 1.00 |",
        f"| package, archive `{archive.name}` | {archive.stat().st_size / 1e6:.0f} MB | | |",
        f"| package, unpacked | {unpacked / 1e6:.0f} MB | {p:.2f} s | {p / s:.2f} |",
        "",
        f"Runs alternated, {args.runs} each after one warm-up each; package started with an empty environment.",
    ])
    print(table)
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as f:
        f.write("\n" + table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
