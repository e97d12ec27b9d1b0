"""The remote engine against a real OpenAI-compatible server on loopback: llama-cpp-python's own
server running the embedded SmolLM2 (the protocol vLLM, SGLang and Ollama speak)."""
import pytest

from runtime.engine import Engine
from runtime.loading import plans_for
from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions, ModelLoadError
from tests.conftest import free_port


def run(engine, text, **opts):
    events = list(engine.stream([ChatMessage("user", text)], GenerationOptions(**opts), CancelToken()))
    return "".join(e.text for e in events[:-1]), events[-1]


def test_chat_through_the_server(openai_server):
    server = openai_server
    engine = Engine()
    info = engine.load(plans_for(server))
    assert info.engine == "remote" and info.path == server
    assert "SmolLM2" in info.name and "127.0.0.1" in info.name and "runs the model" in info.reason
    text, done = run(engine, "What is the capital of France?", max_tokens=24, temperature=0.0)
    assert "Paris" in text and isinstance(done, Finished)
    assert done.reason in ("stop", "length") and done.completion_tokens > 0 and done.prompt_tokens > 0


def test_length_limit_and_stop(openai_server):
    server = openai_server
    engine = Engine()
    engine.load(plans_for(server))
    text, done = run(engine, "Write a long story about a dragon.", max_tokens=5, temperature=0.0)
    assert done.reason == "length" and text
    cancel = CancelToken()
    events = []
    for event in engine.stream([ChatMessage("user", "Count from 1 to 500.")],
                               GenerationOptions(max_tokens=1000, temperature=0.0), cancel):
        events.append(event)
        if len(events) == 3:
            cancel.cancel()
    assert events[-1].reason == "cancelled" and len(events) < 10


def test_a_model_the_server_does_not_have(openai_server):
    server = openai_server
    with pytest.raises(ModelLoadError, match="has no model 'deepseek-r1'"):
        Engine().load(plans_for(server + "#deepseek-r1"))


def test_no_server_is_a_clear_error():
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(ModelLoadError, match="No OpenAI-compatible server answered at"):
        Engine().load(plans_for(url))


def test_terminal_chat_and_plan_with_a_server_url(openai_server, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    chat = subprocess.run([sys.executable, "-m", "app", "chat", openai_server, "--temperature", "0"],
                          input="What is the capital of France?\n", capture_output=True, text=True,
                          cwd=root, timeout=120, env=dict(os.environ, DESKSEEK_HOME=str(tmp_path / "home")))
    assert chat.returncode == 0, chat.stderr[-2000:]
    assert "Paris" in chat.stdout and "(remote," in chat.stderr
    plan = subprocess.run([sys.executable, "-m", "runtime", "plan", openai_server], capture_output=True,
                          text=True, cwd=root, timeout=60)
    assert plan.returncode == 0 and "Plan 1: remote" in plan.stdout


def test_raw_completion_through_the_server_s_own_completions_endpoint(openai_server):
    engine = Engine()
    engine.load(plans_for(openai_server))
    prompt = "def add(a, b):\n    return"
    events = list(engine.complete(prompt, GenerationOptions(max_tokens=8, temperature=0.0), CancelToken()))
    done = events[-1]
    text = "".join(e.text for e in events[:-1])
    assert done.reason in ("stop", "length") and text.strip() and not any(e.reasoning for e in events[:-1])
    # The server counted the raw prompt, a few tokens: no chat template around it.
    assert 0 < done.prompt_tokens <= 12 and done.completion_tokens > 0
    cut = list(engine.complete(prompt, GenerationOptions(max_tokens=8, temperature=0.0, stop=(text.strip()[:1],)),
                               CancelToken()))
    assert cut[-1].reason == "stop" and text.strip()[:1] not in "".join(e.text for e in cut[:-1])
