"""docs/PLANNER.md is generated from the fixtures by the planner itself, and stays current."""
import json
from pathlib import Path

import pytest

from runtime.planner import plan
from runtime.planning.table import BEGIN, END, machine, render, update, variants

ROOT = Path(__file__).parents[2]
CONFIGS = ROOT / "tests" / "fixtures" / "models" / "configs"


def test_document_is_current():
    doc = (ROOT / "docs" / "PLANNER.md").read_text()
    assert BEGIN in doc and END in doc
    assert update(doc, render(CONFIGS)) == doc, (
        "docs/PLANNER.md is stale: python -m runtime.planning.table tests/fixtures/models/configs docs/PLANNER.md")


def models(name):
    return variants(name, json.loads((CONFIGS / f"{name}.json").read_text()))


@pytest.mark.parametrize("name, n_params_b, active_b", [
    ("deepseek-llm-7b-chat", 6.9, 6.9), ("deepseek-llm-67b-chat", 67.4, 67.4),
    ("deepseek-moe-16b-chat", 16.4, 2.8), ("DeepSeek-V2-Lite-Chat", 15.7, 2.7),
    ("DeepSeek-R1-Distill-Qwen-7B", 7.6, 7.6), ("DeepSeek-R1-Distill-Qwen-14B", 14.8, 14.8),
    ("DeepSeek-R1-Distill-Qwen-32B", 32.8, 32.8), ("DeepSeek-V3", 671.0, 37.6)])
def test_parameter_counts_match_the_published_sizes(name, n_params_b, active_b):
    hf = models(name)[0]
    assert round(hf.n_params / 1e9, 1) == n_params_b and round(hf.n_active_params / 1e9, 1) == active_b


@pytest.mark.parametrize("name", [p.stem for p in CONFIGS.glob("*.json")])
@pytest.mark.parametrize("gpu", [0, 8, 12, 16, 24, 48, 80, 141])
@pytest.mark.parametrize("ram", [32, 64, 128])
def test_every_decision_has_its_reason_and_fits(name, gpu, ram):
    hw = machine(gpu, ram)
    result = plan(hw, models(name))
    assert result.summary
    for p in result.plans:
        assert p.reason and p.est_bytes.get("cpu", 0) <= hw.ram_available_bytes
        for dev, used in p.est_bytes.items():
            if dev.startswith("cuda"):
                assert used <= hw.gpus[0].free_bytes
        if p.engine == "torch":
            assert p.dtype == "bfloat16" and p.device == "cuda:0"
        if p.device == "cpu" and gpu == 0:
            assert p.reason.startswith("No CUDA GPU found: running on the CPU with 8 threads")
    if not result.plans:
        assert "does not fit" in result.summary and ("would fit" in result.summary or "more RAM" in result.summary)


def test_rules_on_the_table():
    first = lambda name, gpu, ram: plan(machine(gpu, ram), models(name)).plans  # noqa: E731
    assert first("DeepSeek-R1-Distill-Qwen-7B", 24, 64)[0].engine == "torch"
    assert first("DeepSeek-R1-Distill-Qwen-7B", 12, 64)[0].model_path.endswith("Q8_0")
    v2 = first("DeepSeek-V2-Lite-Chat", 8, 32)[0]
    assert v2.n_gpu_layers == 28 and 0 < v2.n_cpu_moe_layers < 27  # experts in RAM, not layers
    q32 = first("DeepSeek-R1-Distill-Qwen-32B", 16, 64)[0]
    assert 0 < q32.n_gpu_layers < 64 and q32.n_cpu_moe_layers == 0
    assert first("DeepSeek-V3", 141, 128) == ()
