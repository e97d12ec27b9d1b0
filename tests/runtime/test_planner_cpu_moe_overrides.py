"""The experts-on-CPU placement: llama.cpp must log an override for exactly the chosen tensors."""
import os
import subprocess
import sys
import textwrap

import pytest

from runtime.backends.llama_overrides import EXPS_REGEX, expert_patterns
from tests.fixtures.models import real, tiny_deepseek2


def test_expert_patterns_follow_n_cpu_moe():
    assert expert_patterns(0) == []
    assert expert_patterns(2, 27) == [rf"blk\.0{EXPS_REGEX}", rf"blk\.1{EXPS_REGEX}"]
    assert expert_patterns(27, 27) == expert_patterns(40, 27) == [EXPS_REGEX]  # --cpu-moe


def load_log(model, patterns):
    script = textwrap.dedent(f"""
        import sys, llama_cpp
        from runtime.backends.llama_overrides import cpu_overrides
        with cpu_overrides({patterns!r}) as keep:
            llm = llama_cpp.Llama({str(model)!r}, n_ctx=256, n_threads=1, verbose=True)
        assert not llama_cpp.llama_cpp.llama_model_default_params().tensor_buft_overrides
        print("kept", len(keep._strings), file=sys.stderr)
    """)
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stderr


@pytest.mark.slow
def test_llama_cpp_logs_each_overridden_tensor():
    pytest.importorskip("llama_cpp")
    model = real.need_smollm2()
    log = load_log(model, [r"blk\.(0|1)\.ffn_up", r"blk\.29\.attn_q"])
    lines = sorted(ln.split()[1] for ln in log.splitlines() if "buffer type overridden to CPU" in ln)
    assert lines == ["blk.0.ffn_up.weight", "blk.1.ffn_up.weight", "blk.29.attn_q.weight"]
    assert "kept 2" in log


@pytest.mark.slow
@pytest.mark.parametrize("n_cpu_moe, layers", [(2, [1]), (4, [1, 2, 3]), (1, [])])
def test_routed_experts_of_the_first_layers_stay_on_cpu(n_cpu_moe, layers):
    """A real MoE (tiny DeepSeek-V2, layer 0 dense): only routed-expert tensors are overridden."""
    pytest.importorskip("llama_cpp")
    model = tiny_deepseek2.cached()
    log = load_log(model, expert_patterns(n_cpu_moe, tiny_deepseek2.N_LAYERS))
    lines = sorted(ln.split()[1] for ln in log.splitlines() if "buffer type overridden to CPU" in ln)
    assert lines == sorted(f"blk.{il}.ffn_{p}_exps.weight" for il in layers for p in ("down", "gate", "up"))
