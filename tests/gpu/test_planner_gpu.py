"""On a real CUDA machine: the probe, the CUDA order, and the experts-on-CPU placement.

Skipped without a GPU. Runs in well under 5 minutes: no model download, the tiny DeepSeek-V2
GGUF is written on the fly. The llama.cpp checks also need a CUDA build of llama-cpp-python.
"""
import os
import re
import subprocess
import sys
import textwrap

import pytest

from runtime.hardware import probe
from runtime.modelfile import inspect
from runtime.planner import plan
from runtime.planning.memory import LlamaLayout, llama_bytes
from tests.fixtures.models import tiny_deepseek2

pytestmark = pytest.mark.gpu
HW = probe(sample_s=0.05)
if not HW.gpus:
    pytest.skip(f"no CUDA GPU ({'; '.join(HW.notes) or 'none found'})", allow_module_level=True)


def test_probe_reports_each_gpu():
    for i, g in enumerate(HW.gpus):
        assert g.index == i and g.name and re.fullmatch(r"GPU-[0-9a-f-]{36}", g.uuid)
        assert 0 < g.free_bytes <= g.total_bytes and g.compute_capability >= (3, 0)
        assert g.bandwidth_bytes_s is None or g.bandwidth_bytes_s > 1e11


def test_probe_creates_no_cuda_context():
    import pynvml

    pynvml.nvmlInit()
    try:
        for g in HW.gpus:
            handle = pynvml.nvmlDeviceGetHandleByUUID(g.uuid)
            pids = {p.pid for p in pynvml.nvmlDeviceGetComputeRunningProcesses(handle)}
            assert os.getpid() not in pids
    finally:
        pynvml.nvmlShutdown()


def test_cuda_order_matches_torch_when_installed():
    torch = pytest.importorskip("torch")
    uuids = [f"GPU-{torch.cuda.get_device_properties(i).uuid}" for i in range(torch.cuda.device_count())]
    assert uuids == [g.uuid for g in HW.gpus]


def test_plan_uses_the_gpu():
    model = tiny_deepseek2.cached()
    result = plan(HW, inspect(model))
    if HW.llama_gpu_offload:
        assert result.plans[0].device == f"cuda:{max(HW.gpus, key=lambda g: g.free_bytes).index}"
    else:
        assert "cannot offload to a GPU" in result.plans[0].reason


def test_routed_experts_stay_on_cpu_and_the_rest_goes_to_cuda():
    if not HW.llama_gpu_offload:
        pytest.skip("this llama-cpp-python build cannot offload to a GPU")
    model = tiny_deepseek2.cached()
    script = textwrap.dedent(f"""
        import llama_cpp
        from runtime.backends.llama_overrides import expert_overrides
        with expert_overrides(2, {tiny_deepseek2.N_LAYERS}) as keep:
            llm = llama_cpp.Llama({str(model)!r}, n_ctx=2048, n_gpu_layers=99, verbose=True)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240,
                         env=dict(os.environ, PYTHONPATH=os.getcwd()))
    assert out.returncode == 0, out.stderr[-3000:]
    moved = sorted(ln.split()[1] for ln in out.stderr.splitlines() if "buffer type overridden to CPU" in ln)
    assert moved == [f"blk.1.ffn_{p}_exps.weight" for p in ("down", "gate", "up")]
    cuda = sum(float(x) for x in re.findall(r"CUDA0 model buffer size =\s+([\d.]+) MiB", out.stderr)) * 2**20
    m = inspect(model)
    est = llama_bytes(m, LlamaLayout(m.n_layers + 1, 2, 2048, "f16", False))
    weights_on_gpu = m.weight_bytes - m.embd_bytes - m.expert_bytes[1]
    assert cuda == pytest.approx(weights_on_gpu, rel=0.10) and est["gpu"] > cuda
