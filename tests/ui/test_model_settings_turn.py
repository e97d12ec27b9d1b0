"""The turn runs with the loaded model's own settings: an R1 distill with its card's sampling and
no system prompt (its text leads the user's message), a model's saved settings over those."""
from __future__ import annotations

from app.models.model_settings import ModelSettings, save_model_settings
from app.paths import app_paths
from app.settings import Settings, save_settings
from app.store import open_store
from tests.models.layouts import place
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine
from tests.ui.test_scripted_replies import send


class RecordingBackend(ScriptedBackend):
    def __init__(self, pieces):
        super().__init__(pieces)
        self.options = []

    def stream(self, messages, options, cancel):
        self.options.append(options)
        return (yield from super().stream(messages, options, cancel))


def prepare(data_home, **general):
    store = open_store(app_paths().database)
    save_settings(store, Settings(system_prompt="Answer in French.", **general))
    return store


def test_an_r1_distill_gets_its_card_values_and_no_system_role(qtbot, open_window, data_home, tmp_path):
    prepare(data_home, temperature=1.2).close()
    model = place(tmp_path / "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf")
    backend = RecordingBackend(["Bonjour."])
    window = open_window(str(model), engine=scripted_engine(backend))
    send(qtbot, window, "hello")
    o = backend.options[-1]
    assert (o.temperature, o.top_p) == (0.6, 0.95)
    prompt = backend.prompts[-1]
    assert [m.role for m in prompt] == ["user"]
    assert prompt[0].content == "Answer in French.\n\nhello"


def test_another_model_keeps_the_general_settings_and_its_system_prompt(qtbot, open_window, data_home, smollm):
    prepare(data_home, temperature=1.2, top_p=0.9).close()
    backend = RecordingBackend(["Hi."])
    window = open_window(str(smollm), engine=scripted_engine(backend))
    send(qtbot, window, "hello")
    o = backend.options[-1]
    assert (o.temperature, o.top_p) == (1.2, 0.9)
    assert [m.role for m in backend.prompts[-1]] == ["system", "user"]


def test_a_model_s_saved_settings_are_what_the_turn_uses(qtbot, open_window, data_home, tmp_path):
    model = place(tmp_path / "DeepSeek-R1-Distill-Llama-8B-Q4_K_M.gguf")
    store = prepare(data_home)
    save_model_settings(store, str(model), ModelSettings(temperature=0.2, top_p=0.5, top_k=7,
                                                         repeat_penalty=1.3, seed=11, system_prompt=True))
    store.close()
    backend = RecordingBackend(["Oui."])
    window = open_window(str(model), engine=scripted_engine(backend))
    send(qtbot, window, "hello")
    o = backend.options[-1]
    assert (o.temperature, o.top_p, o.top_k, o.repeat_penalty, o.seed) == (0.2, 0.5, 7, 1.3, 11)
    assert [m.role for m in backend.prompts[-1]] == ["system", "user"]
