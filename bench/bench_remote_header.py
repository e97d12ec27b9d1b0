"""Bytes read to plan a model on the Hub: a 405 GB split DeepSeek-V3 Q4_K_M, headers only.

    python bench/bench_remote_header.py            # prints a table and appends it to bench/RESULTS.md
    python bench/bench_remote_header.py --no-record

The model is a header-true sparse GGUF (tests/hubfake/sparse_gguf: real V3 shapes, metadata and
vocabulary size, 9 shards as gguf-split writes them, the data a hole) served by the fake Hub and
its CDN on 127.0.0.1. The real command runs as a process, as a user would:
`deskseek models files unsloth/DeepSeek-V3-GGUF --gpu "RTX 4090:24GiB" --ram 512GiB --json`, once with
an empty header cache and once again. The figure is what the servers wrote (bodies of every
response: listing, HEADs, Range reads), measured on the server side; the anchors are the headers'
own size (bytes up to the first tensor's data, summed over the shards) and the model's size.
Goal (issue 12): at most 16 MB.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from runtime.modelfile.gguf_file import FileSource, header_size  # noqa: E402
from tests.hubfake import FakeHub, sparse_gguf  # noqa: E402

REPO = "unsloth/DeepSeek-V3-GGUF"
GOAL = 16 * 10**6


def header_bytes(path: Path) -> int:
    src = FileSource(str(path))
    try:
        return header_size(src)
    finally:
        src.close()


def run_cli(hub: FakeHub, home: Path) -> tuple[float, int, int, list]:
    hub.reset_log()
    env = os.environ | {"DESKSEEK_HOME": str(home), "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "app", "models", "files", REPO, "--gpu", "RTX 4090:24GiB",
                          "--ram", "512GiB", "--cores", "16", "--json", "--endpoint", hub.url],
                         capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    wall = time.perf_counter() - t
    return wall, hub.bytes_served(), len(hub.requests), json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeHub() as hub:
        model = sparse_gguf.write_deepseek(Path(tmp) / "v3", "Q4_K_M")
        hub.add_sparse(REPO, model, folder_in_repo="Q4_K_M")
        headers = sum(header_bytes(f) for f in model.files)
        cold = run_cli(hub, Path(tmp) / "home")
        warm = run_cli(hub, Path(tmp) / "home")
    (item,) = cold[3]
    rows = [("the 9 shards' headers (anchor)", headers, "", "1.00"),
            ("planning, empty cache", cold[1], f"{cold[2]} requests, {cold[0]:.1f} s", f"{cold[1] / headers:.2f}"),
            ("planning again, headers cached", warm[1], f"{warm[2]} requests, {warm[0]:.1f} s", f"{warm[1] / headers:.3f}")]
    table = ("| DeepSeek-V3 Q4_K_M, 9 shards, " + f"{model.claimed_bytes / 1e9:.1f} GB ({model.claimed_bytes / 2**30:.1f} GiB)"
             + " | bytes served | cost | vs headers |\n|---|---:|---|---:|\n"
             + "\n".join(f"| {a} | {b / 1e6:.2f} MB | {c} | {d} |" for a, b, c, d in rows))
    verdict = (f"\nRead {cold[1] / model.claimed_bytes * 100:.4f}% of the model; goal ≤ {GOAL / 1e6:.0f} MB: "
               f"{'met' if cold[1] <= GOAL else 'NOT met'}. Verdict printed: fits={item['fits']}, "
               f"plan={item['plan']!r}.")
    print(table + verdict)
    if not args.no_record:
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
        cpu = os.cpu_count()
        machine = f"{platform.machine()}, {cpu} cores, Python {platform.python_version()}, fake Hub + CDN on 127.0.0.1"
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as f:
            f.write(f"\n## Models: bytes read to plan a 405 GB split GGUF ({when} UTC)\n\n"
                    f"`python bench/bench_remote_header.py` on {machine}\n\n{table}\n{verdict}\n")


if __name__ == "__main__":
    main()
