import io
import json
import os
import subprocess
import sys
import types

import pytest

from runtime.cli import build_parser, main
from runtime.cli import chat_cmd
from runtime.cli.machine import parse_gpu, parse_size
from runtime.types import Finished, LoadedModel, TextDelta
from tests.fixtures.models import real, tiny


@pytest.mark.parametrize("text, n", [("24GiB", 24 << 30), ("24 GB", 24 * 10**9), ("80g", 80 << 30),
                                     ("1.5TiB", int(1.5 * 2**40)), ("512MiB", 512 << 20)])
def test_sizes(text, n):
    assert parse_size(text) == n


def test_gpu_spec():
    assert parse_gpu("RTX 4090:24GiB") == ("RTX 4090", 24 << 30, (8, 9))
    assert parse_gpu("Tesla T4:16GiB:7.5") == ("Tesla T4", 16 << 30, (7, 5))
    with pytest.raises(Exception, match="NAME:SIZE"):
        parse_gpu("24GiB")


def test_plan_for_a_described_machine(tmp_path, capsys):
    model = tiny.write_gguf(tmp_path / "tiny.gguf")
    assert main(["plan", str(model), "--gpu", "RTX 4090:24GiB", "--ram", "64GiB", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"]["arch"] == "llama" and out["plans"][0]["device"] == "cuda:0"
    assert out["plans"][0]["reason"].startswith("All 2/2 layers on RTX 4090 (cuda:0)")
    assert main(["plan", str(model), "--no-gpu", "--ram", "8GiB", "--cores", "4"]) == 0
    text = capsys.readouterr().out
    assert "Plan 1: llama_cpp on cpu" in text and "No CUDA GPU found: running on the CPU with 4 threads" in text


def test_plan_errors_are_sentences(tmp_path, capsys):
    assert main(["plan", str(tmp_path / "missing.gguf")]) == 1
    assert "deskseek: The model missing.gguf does not exist" in capsys.readouterr().err
    big = tiny.write_gguf(tmp_path / "big.gguf")
    assert main(["plan", str(big), "--no-gpu", "--ram", "1MiB"]) == 2
    assert "No plan: tiny does not fit" in capsys.readouterr().out


def test_generate_dispatches(monkeypatch):
    seen = []
    monkeypatch.setitem(sys.modules, "runtime.cli.generate", types.SimpleNamespace(main=lambda argv: seen.append(argv) or 0))
    assert main(["generate", "--model", "x", "--prompt", "hi"]) == 0
    assert seen == [["--model", "x", "--prompt", "hi"]]


class FakeEngine:
    def __init__(self):
        self.seen, self.unloaded = [], False

    def load(self, plans, on_progress=None):
        self.plan = plans[0]
        return LoadedModel("tiny", self.plan.model_path, "llama_cpp", 2048, self.plan.reason)

    def stream(self, messages, options, cancel):
        self.seen.append([m.content for m in messages])
        yield TextDelta("hmm", reasoning=True)
        yield TextDelta("Hello ")
        yield TextDelta("there")
        yield Finished("stop", dropped_messages=len(self.seen) - 1)

    def unload(self):
        self.unloaded = True


def test_chat_streams_keeps_history_and_reports_drops(tmp_path):
    model = tiny.write_gguf(tmp_path / "tiny.gguf")
    args = build_parser().parse_args(["chat", str(model), "--no-gpu", "--system", "Be brief."])
    engine, out = FakeEngine(), io.StringIO()
    assert chat_cmd.run(args, engine_factory=lambda: engine, stdin=io.StringIO("hi\n\nagain\n"), stdout=out) == 0
    assert engine.seen == [["Be brief.", "hi"], ["Be brief.", "hi", "Hello there", "again"]]
    text = out.getvalue()
    assert "[thinking]\nhmm\n[answer]\nHello there" in text and "[1 older messages were left out" in text
    assert engine.unloaded


@pytest.mark.slow
def test_chat_end_to_end_on_the_cpu():
    """python -m runtime chat with the real llama.cpp engine and the embedded model."""
    pytest.importorskip("llama_cpp")
    out = subprocess.run([sys.executable, "-m", "runtime", "chat", str(real.need_smollm2()), "--max-tokens", "8",
                          "--temperature", "0", "--ctx", "512"], input="Hello!\n/exit\n", capture_output=True,
                         text=True, timeout=180, env=dict(os.environ, PYTHONPATH=os.getcwd()))
    assert out.returncode == 0, out.stderr[-2000:]
    assert "No CUDA GPU found" in out.stderr or "running on the CPU" in out.stderr
    assert out.stdout.startswith("> ") and len(out.stdout.strip()) > 3
