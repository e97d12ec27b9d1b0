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


def test_record_stays_inside_store_section(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_store", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## GUI\n\ngui table\n", encoding="utf-8")
    bench._record(results, "### run 1\n")
    results.write_text(results.read_text(encoding="utf-8") + "\n## Later\n\nlater table\n", encoding="utf-8")
    bench._record(results, "### run 2\n")
    text = results.read_text(encoding="utf-8")
    assert text.index("## GUI") < text.index("## Store") < text.index("### run 1") < text.index("### run 2") < text.index("## Later")
    assert text.endswith("## Later\n\nlater table\n")
