"""Keep chosen tensors (MoE routed experts) in RAM while the rest goes to the GPU.

llama-cpp-python 0.3.36 has no argument for llama.cpp's tensor buffer-type overrides (the
--cpu-moe / --n-cpu-moe / -ot flags), but `llama_model_params.tensor_buft_overrides` is in its
ctypes structure. We fill it with a NULL-terminated array of {regex, CPU buffer type}; llama.cpp
then logs "tensor ... buffer type overridden to CPU" for each match. The regex strings and the
array must outlive the load, so the returned CpuOverrides holds them: keep it with the model.

Use:
    with expert_overrides(plan.n_cpu_moe_layers) as keep:
        llm = llama_cpp.Llama(model_path, n_gpu_layers=..., ...)
    self._keep_overrides = keep
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

# llama.cpp's LLM_FFN_EXPS_REGEX (common/common.h): routed experts, separate or fused gate_up
EXPS_REGEX = r"\.ffn_(up|down|gate|gate_up)_(ch|)exps"
_GGML_BACKEND_DEVICE_TYPE_CPU = 0
_patch_lock = threading.Lock()  # Llama() reads the patched default params; one load at a time


def expert_patterns(n_cpu_moe: int, n_layers: int | None = None) -> list[str]:
    """Regexes for --n-cpu-moe N: the routed experts of blocks 0..N-1 (all of them if N >= n_layers).

    One regex per block, as llama.cpp does, stays under llama_max_tensor_buft_overrides().
    """
    if n_cpu_moe <= 0:
        return []
    if n_layers is not None and n_cpu_moe >= n_layers:
        return [EXPS_REGEX]  # --cpu-moe
    return [rf"blk\.{il}{EXPS_REGEX}" for il in range(n_cpu_moe)]


@dataclass
class CpuOverrides:
    """The ctypes memory llama.cpp points into while loading; keep it as long as the model."""

    patterns: tuple[str, ...]
    _strings: list[ctypes.Array] = field(default_factory=list, repr=False)
    _array: Any = field(default=None, repr=False)


def cpu_buffer_type() -> int:
    """ggml's CPU buffer type, found through the backend registry in the shipped libggml.

    The registry also covers builds that load CPU variants dynamically (libggml-cpu-haswell...);
    it returns the same pointer as ggml_backend_cpu_buffer_type(), which llama.cpp compares against.
    """
    import llama_cpp

    lib_dir = os.path.join(os.path.dirname(llama_cpp.__file__), "lib")
    names = {"nt": "ggml.dll", "posix": "libggml.dylib" if os.uname().sysname == "Darwin" else "libggml.so"}
    ggml = ctypes.CDLL(os.path.join(lib_dir, names.get(os.name, "libggml.so")))
    ggml.ggml_backend_dev_by_type.restype = ctypes.c_void_p
    ggml.ggml_backend_dev_by_type.argtypes = [ctypes.c_int]
    ggml.ggml_backend_dev_buffer_type.restype = ctypes.c_void_p
    ggml.ggml_backend_dev_buffer_type.argtypes = [ctypes.c_void_p]
    dev = ggml.ggml_backend_dev_by_type(_GGML_BACKEND_DEVICE_TYPE_CPU)
    if not dev:
        raise RuntimeError("llama.cpp's CPU backend is not registered")
    return ggml.ggml_backend_dev_buffer_type(dev)


def install_cpu_overrides(params: Any, patterns: Sequence[str]) -> CpuOverrides:
    """Point `params.tensor_buft_overrides` (a llama_model_params) at {pattern -> CPU} entries."""
    import llama_cpp

    keep = CpuOverrides(tuple(patterns))
    if not patterns:
        return keep
    limit = llama_cpp.llama_max_tensor_buft_overrides()
    if len(patterns) >= limit:
        raise ValueError(f"{len(patterns)} tensor overrides; llama.cpp accepts fewer than {limit}")

    class Override(ctypes.Structure):  # struct llama_model_tensor_buft_override
        _fields_ = [("pattern", ctypes.c_char_p), ("buft", ctypes.c_void_p)]

    array = (Override * (len(patterns) + 1))()  # zeroed: the last entry is the NULL terminator
    buft = cpu_buffer_type()
    for i, pattern in enumerate(patterns):
        raw = ctypes.create_string_buffer(pattern.encode())
        keep._strings.append(raw)
        array[i].pattern = ctypes.cast(raw, ctypes.c_char_p)
        array[i].buft = buft
    keep._array = array
    params.tensor_buft_overrides = ctypes.cast(array, ctypes.c_void_p)
    return keep


@contextlib.contextmanager
def cpu_overrides(patterns: Sequence[str]) -> Iterator[CpuOverrides]:
    """Within the block, every llama_cpp.Llama(...) is built with these tensors in RAM.

    Llama.__init__ starts from llama_model_default_params(); wrapping that function is the one
    hook llama-cpp-python offers without copying its constructor.
    """
    import llama_cpp.llama_cpp as lib

    holders: list[CpuOverrides] = []
    if not patterns:
        yield CpuOverrides(())
        return
    with _patch_lock:
        original = lib.llama_model_default_params

        def patched():
            params = original()
            holders.append(install_cpu_overrides(params, patterns))
            return params
        lib.llama_model_default_params = patched
        try:
            keep = CpuOverrides(tuple(patterns))
            yield keep
        finally:
            lib.llama_model_default_params = original
            keep._strings = [s for h in holders for s in h._strings]
            keep._array = [h._array for h in holders]


def expert_overrides(n_cpu_moe: int, n_layers: int | None = None):
    """cpu_overrides() for a plan's n_cpu_moe_layers."""
    return cpu_overrides(expert_patterns(n_cpu_moe, n_layers))
