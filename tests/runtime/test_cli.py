import json
import sys
import types

import pytest

from runtime.cli import build_parser, main
from runtime.cli.machine import parse_gpu, parse_size
from tests.fixtures.models import tiny


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


def test_chat_moved_to_the_app_with_a_sentence(capsys):
    """The chat builds its turns with app.chat, which the runtime may not import."""
    assert main(["chat", "model.gguf"]) == 2
    assert "deskseek chat" in capsys.readouterr().err
    assert "chat" not in build_parser().format_help().split("{", 1)[1].split("}", 1)[0]
