"""Per-model settings: the catalog's card values as defaults, stored overrides, and the GPU split
laid over the planner's."""
from __future__ import annotations

import pytest

from app.models.model_settings import (
    ModelSettings, defaults_for, load_model_settings, model_key, save_model_settings, settings_for_model,
)
from app.settings import Settings
from app.store import open_store
from runtime.hardware import GpuInfo, HardwareInfo
from runtime.modelfile import inspect
from runtime.planner import PlanPreferences, plan
from runtime.planning.override import with_override
from tests.fixtures.models import tiny

GB = 1024 ** 3


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "db.sqlite3")
    yield s
    s.close()


def test_an_r1_distill_starts_from_its_card(store, tmp_path):
    general = Settings(temperature=1.1, top_p=0.8)
    r1 = settings_for_model(store, str(tmp_path / "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"), general)
    assert (r1.temperature, r1.top_p, r1.system_prompt) == (0.6, 0.95, False)
    v3 = settings_for_model(store, "/m/x.gguf", general, "DeepSeek V3")
    assert (v3.temperature, v3.system_prompt) == (0.3, True)
    other = settings_for_model(store, str(tmp_path / "SmolLM2-135M.gguf"), general)
    assert (other.temperature, other.top_p, other.system_prompt) == (1.1, 0.8, True)


def test_saved_settings_win_and_bad_ones_are_refused(store, tmp_path):
    path = str(tmp_path / "DeepSeek-R1-Distill-Llama-8B-Q8_0.gguf")
    mine = ModelSettings(n_ctx=8192, n_gpu_layers=20, temperature=0.5, top_k=20, repeat_penalty=1.05,
                         seed=7, system_prompt=False)
    assert save_model_settings(store, path, mine) == []
    assert settings_for_model(store, path, Settings()) == mine
    bad = ModelSettings(temperature=4.0, n_ctx=100, seed=-1)
    problems = save_model_settings(store, path, bad)
    assert len(problems) == 3 and "Temperature must be between 0 and 2 (got 4.0)." in problems
    assert settings_for_model(store, path, Settings()) == mine, "nothing written"


def test_a_damaged_stored_field_falls_back_to_its_default(store):
    store.set_setting(model_key("/m/a.gguf"), '{"temperature": "hot", "top_k": 5}')
    s = load_model_settings(store, "/m/a.gguf", defaults_for(None, Settings()))
    assert (s.temperature, s.top_k) == (0.7, 5)


def test_options_and_plan_preferences_come_from_the_model_s_settings():
    s = ModelSettings(n_ctx=4096, n_gpu_layers=3, n_cpu_moe_layers=1, temperature=0.6, top_p=0.95,
                      top_k=0, repeat_penalty=1.0, seed=42)
    o = s.to_generation_options(max_tokens=500)
    assert (o.max_tokens, o.temperature, o.top_p, o.top_k, o.repeat_penalty, o.seed) == (500, 0.6, 0.95, 0, 1.0, 42)
    p = s.to_plan_preferences(PlanPreferences(n_ctx=2048, n_threads=3))
    assert (p.n_ctx, p.n_threads, p.n_gpu_layers, p.n_cpu_moe_layers) == (4096, 3, 3, 1)
    assert ModelSettings().to_plan_preferences(PlanPreferences(n_ctx=2048)).n_ctx == 2048


def test_the_user_s_gpu_split_goes_first_and_the_planner_s_stays_behind(tmp_path):
    m = inspect(tiny.write_gguf(tmp_path / "moe.gguf", n_layers=4, n_experts=4))
    gpu = GpuInfo(0, "RTX", 24 * GB, 23 * GB, (8, 9), "GPU-1")
    hw = HardwareInfo((gpu,), 64 * GB, 60 * GB, 8, 8, True)
    planned = plan(hw, m, PlanPreferences()).plans
    assert with_override(planned, PlanPreferences(), m.n_layers) == planned
    mine = with_override(planned, PlanPreferences(n_gpu_layers=2, n_cpu_moe_layers=1), m.n_layers)
    assert (mine[0].n_gpu_layers, mine[0].n_cpu_moe_layers, mine[0].device) == (2, 1, "cuda:0")
    assert mine[0].reason.startswith("Your setting: 2 of 5 layers on cuda:0, experts of 1 layers in RAM")
    assert mine[1:] == planned
    cpu_only = plan(HardwareInfo((), 64 * GB, 60 * GB, 8, 8, False), m, PlanPreferences()).plans
    assert with_override(cpu_only, PlanPreferences(n_gpu_layers=2), m.n_layers) == cpu_only
