"""`deskseek chat`: the window's loading (plans_for) and turn (build_request) in a terminal."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.chat import cli
from runtime.types import ChatMessage, GenerationOptions
from tests.fixtures.models import real, tiny
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

ROOT = Path(__file__).resolve().parents[2]


def chat(argv, stdin, backend):
    out = io.StringIO()
    args = cli.build_parser().parse_args(argv)
    assert cli.run(args, engine_factory=lambda: scripted_engine(backend), stdin=io.StringIO(stdin), stdout=out) == 0
    return out.getvalue()


def test_chat_streams_keeps_history_and_reports_drops(tmp_path):
    model = tiny.write_gguf(tmp_path / "tiny.gguf")
    backend = ScriptedBackend(["<think>hmm</think>", "Hello ", "there"], ctx=40)
    text = chat([str(model), "--no-gpu", "--system", "Be brief.", "--max-tokens", "8", "--temperature", "0.3"],
                "hi\n\n" + "again " * 10 + "\n", backend)
    first, second = backend.prompts
    assert first == [ChatMessage("system", "Be brief."), ChatMessage("user", "hi")]
    assert second == [ChatMessage("system", "Be brief."), ChatMessage("user", "again " * 10)]
    assert backend.options[0] == GenerationOptions(max_tokens=8, temperature=0.3)
    assert "[thinking]\nhmm\n[answer]\nHello there" in text
    assert "[2 older messages were left out to fit the context]" in text


def test_a_model_whose_card_wants_no_system_prompt_gets_it_folded(tmp_path):
    """As the window does for R1 and its distills (the catalog's card), without the history."""
    model = tiny.write_gguf(tmp_path / "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf")
    backend = ScriptedBackend(["ok"])
    chat([str(model), "--system", "Think step by step."], "What is 2+2?\n", backend)
    assert backend.prompts == [[ChatMessage("user", "Think step by step.\n\nWhat is 2+2?")]]
    from app.models.model_settings import card_folds_system_prompt

    assert not card_folds_system_prompt(str(real.need_smollm2()))


def test_a_model_that_is_not_there_is_a_sentence(tmp_path, capsys):
    assert cli.main([str(tmp_path / "missing.gguf")]) == 1
    assert "deskseek: The model missing.gguf does not exist" in capsys.readouterr().err


@pytest.mark.slow
def test_chat_end_to_end_on_the_cpu(tmp_path):
    """deskseek chat (python -m app chat) with the real llama.cpp engine and the embedded model."""
    pytest.importorskip("llama_cpp")
    out = subprocess.run([sys.executable, "-m", "app", "chat", str(real.need_smollm2()), "--max-tokens", "8",
                          "--temperature", "0", "--ctx", "512"], input="Hello!\n/exit\n", capture_output=True,
                         text=True, timeout=180, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=str(ROOT), DESKSEEK_HOME=str(tmp_path / "home")))
    assert out.returncode == 0, out.stderr[-2000:]
    assert "No CUDA GPU found" in out.stderr or "running on the CPU" in out.stderr
    assert out.stdout.startswith("> ") and len(out.stdout.strip()) > 3
    assert not (tmp_path / "home" / "deskseek.sqlite3").exists()  # the history is never opened
