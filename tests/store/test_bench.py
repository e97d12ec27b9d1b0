"""The store benchmark runs end to end (tiny sizes; the real run is `python bench/bench_store.py`)."""
import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_store.py"


def test_bench_runs_tiny(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_store", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    report = bench.main(["--conversations", "5", "--messages", "300", "--db", str(tmp_path / "b.db"),
                         "--no-record"])
    assert "| conversation list, all 5 conversations" in report
    assert "open a conversation (150 messages)" in report and "bytes/message" in report
