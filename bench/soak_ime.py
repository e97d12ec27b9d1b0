"""Soak for issue 11's crash: Chinese typed into the real window while replies stream
(tests/ui/ime_stress.py), many seeds, each in its own process so a native crash is counted as a
signal exit instead of ending the soak.

    .venv/bin/python bench/soak_ime.py [--runs 20] [--rounds 2000]
Prints a table and appends it to bench/RESULTS.md with the command and the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(seed: int, rounds: int) -> tuple[str, dict | None]:
    """'ok', 'python error' (a traceback, e.g. a wrapper of the wrong type), 'SIGSEGV'…"""
    env = {**os.environ, "DESKSEEK_HOME": tempfile.mkdtemp(prefix="deskseek-soak-"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT), "PYTHONFAULTHANDLER": "1"}
    out = subprocess.run([sys.executable, "-m", "tests.ui.ime_stress", "--rounds", str(rounds), "--seed", str(seed)],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode < 0:
        return signal.Signals(-out.returncode).name, None
    result = json.loads(out.stdout.splitlines()[-1]) if out.returncode == 0 and out.stdout.strip() else None
    if out.returncode != 0 or "Traceback" in out.stderr:
        return "python error", result
    return "ok", result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    started = time.monotonic()
    outcomes, grown = Counter(), 0
    for seed in range(1, args.runs + 1):
        outcome, result = one_run(seed, args.rounds)
        outcomes[outcome] += 1
        if result and result["layout_item_wrappers"][1] != result["layout_item_wrappers"][0]:
            grown += 1
        print(f"seed {seed}: {outcome}", flush=True)
    rows = "\n".join(f"| {name} | {count} |" for name, count in sorted(outcomes.items()))
    report = (
        f"\n## Chinese typed while replies stream: crash soak ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n\n"
        f"`python bench/soak_ime.py --runs {args.runs} --rounds {args.rounds}` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {time.monotonic() - started:.0f} s\n\n"
        f"| outcome of {args.runs} runs of {args.rounds} typing steps | runs |\n|---|---:|\n{rows}\n\n"
        f"Runs whose layout-item wrappers grew (the crash's precondition): {grown}.\n"
    )
    print(report)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as f:
        f.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
