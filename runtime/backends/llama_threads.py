"""A persistent ggml thread pool for a llama.cpp context, as llama-bench and llama-server attach.

Without one, ggml builds a throw-away thread pool for every graph it computes, i.e. for every
generated token. llama-cpp-python 0.3.36 does not bind llama_attach_threadpool or
ggml_threadpool_new, so they are reached through ctypes in the libraries it ships. Measured here
(SmolLM2, 2 threads, alternating rounds against llama-bench): about +2% generation speed.

Anything missing or unexpected (another build, other symbols) leaves the context as it was:
the pool is a speed-up, never a requirement.
"""
from __future__ import annotations

import ctypes
import logging
import os
from typing import Any

log = logging.getLogger(__name__)
GGML_MAX_N_THREADS = 512  # ggml.h: the size of ggml_threadpool_params.cpumask


class _ThreadpoolParams(ctypes.Structure):
    """struct ggml_threadpool_params (ggml.h) of the vendored llama.cpp."""

    _fields_ = [
        ("cpumask", ctypes.c_bool * GGML_MAX_N_THREADS),
        ("n_threads", ctypes.c_int),
        ("prio", ctypes.c_int),
        ("poll", ctypes.c_uint32),
        ("strict_cpu", ctypes.c_bool),
        ("paused", ctypes.c_bool),
    ]


class ThreadPool:
    """Owns one ggml thread pool attached to one context; close() after the context is freed."""

    def __init__(self, handle: int, lib: Any) -> None:
        self._handle, self._lib = handle, lib

    def close(self) -> None:
        if self._handle:
            self._lib.ggml_threadpool_free(ctypes.c_void_p(self._handle))
            self._handle = 0


def attach_thread_pool(ctx: Any, n_threads: int) -> ThreadPool | None:
    """Attach a pool of n_threads to the llama context `ctx`; None when it cannot be done here.

    n_threads must cover both the context's n_threads and n_threads_batch: an OpenMP build
    indexes the pool's workers by thread number without checking.
    """
    try:
        import llama_cpp

        lib_dir = os.path.join(os.path.dirname(llama_cpp.__file__), "lib")
        base = ctypes.CDLL(os.path.join(lib_dir, _lib_name("ggml-base")))
        cpu = ctypes.CDLL(os.path.join(lib_dir, _lib_name("ggml-cpu")))
        llama = llama_cpp.llama_cpp._lib
        base.ggml_threadpool_params_default.restype = _ThreadpoolParams
        base.ggml_threadpool_params_default.argtypes = [ctypes.c_int]
        cpu.ggml_threadpool_new.restype = ctypes.c_void_p
        cpu.ggml_threadpool_new.argtypes = [ctypes.POINTER(_ThreadpoolParams)]
        cpu.ggml_threadpool_free.restype = None
        cpu.ggml_threadpool_free.argtypes = [ctypes.c_void_p]
        llama.llama_attach_threadpool.restype = None
        llama.llama_attach_threadpool.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    except (OSError, AttributeError, ImportError) as exc:
        log.debug("no ggml thread pool: %s", exc)
        return None
    params = base.ggml_threadpool_params_default(n_threads)
    # A layout that does not match this build would read garbage here: then leave it alone.
    if params.n_threads != n_threads or params.paused or params.poll > 100:
        log.debug("ggml_threadpool_params layout differs from this build's; no thread pool")
        return None
    handle = cpu.ggml_threadpool_new(ctypes.byref(params))
    if not handle:
        return None
    llama.llama_attach_threadpool(ctx, handle, None)  # NULL: prompts use the same pool
    return ThreadPool(handle, cpu)


def _lib_name(stem: str) -> str:
    if os.name == "nt":
        return f"{stem}.dll"
    return f"lib{stem}.dylib" if os.uname().sysname == "Darwin" else f"lib{stem}.so"
