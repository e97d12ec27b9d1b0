"""Memory formulas: what llama.cpp and the torch engine allocate for a model, per device.

Held against llama.cpp's own log lines (model, KV and compute buffer sizes) in
tests/runtime/test_llama_estimate.py; docs/PLANNER.md writes the formulas out.
"""
from __future__ import annotations

from dataclasses import dataclass

from runtime.modelfile import ModelInfo
from runtime.modelfile.arch import kv_bytes_per_token

MiB, GiB = 1024**2, 1024**3
# Bytes per cached value relative to f16: q8_0 packs 32 values in 34 bytes, q4_0 in 18.
KV_SCALE = {"f16": 1.0, "q8_0": 34 / 64, "q4_0": 18 / 64}
N_UBATCH = 512
SMALL_BATCH = 128  # the planner's last resort on a tight machine
CTX_PAD = 256  # llama.cpp rounds the context up to this
CUDA_OVERHEAD = 600 * MiB  # CUDA context, cuBLAS workspace, driver reservations
TORCH_OVERHEAD = 1 * GiB  # CUDA context + allocator slack + activations of a 512-token prefill
TORCH_PREFILL_CHUNK = 512  # runtime/backends/torch_moe/generate.py reads prompts this many tokens at a time
TORCH_OVERHEAD_CTX = 4096  # the context TORCH_OVERHEAD was measured at


def pad_ctx(n_ctx: int) -> int:
    return (n_ctx + CTX_PAD - 1) // CTX_PAD * CTX_PAD


def kv_cache_bytes(m: ModelInfo, n_ctx: int, kv_type: str = "f16", n_layers: int | None = None) -> int:
    """llama.cpp's KV cache: every layer (sliding-window ones too) holds n_ctx cells."""
    per_layer = m.kv_bytes_per_token / max(1, m.n_layers)
    layers = m.n_layers if n_layers is None else n_layers
    return int(pad_ctx(n_ctx) * per_layer * layers * KV_SCALE[kv_type])


def compute_buffer_bytes(m: ModelInfo, n_ctx: int, flash_attn: bool, n_ubatch: int = N_UBATCH) -> int:
    """llama.cpp's scheduler buffer: the larger of the logits of one micro-batch and the
    attention scores (n_head x n_ctx x n_ubatch, f32, gone with flash attention) plus its mask."""
    a, n_ctx = m.hparams, pad_ctx(n_ctx)
    n_ubatch = min(n_ubatch, n_ctx)  # llama-cpp-python caps the batch at the context
    logits = a.n_vocab * n_ubatch * 4
    scores = 0 if flash_attn else (a.n_head + 1) * n_ctx * n_ubatch * 4
    return int(max(logits, scores) + 2 * a.n_embd * n_ubatch * 4)


@dataclass(frozen=True)
class LlamaLayout:
    n_gpu_layers: int  # llama.cpp counts the output head as one more layer
    n_cpu_moe: int  # of the GPU layers, how many keep their routed experts in RAM
    n_ctx: int
    kv_type: str
    flash_attn: bool
    n_batch: int = N_UBATCH  # a smaller batch shrinks the compute buffer (slower prompts)


def llama_bytes(m: ModelInfo, lay: LlamaLayout) -> dict[str, int]:
    """{"cpu": bytes, "gpu": bytes} for a llama.cpp layout (gpu absent when nothing is offloaded).

    llama.cpp offloads the *last* n_gpu_layers blocks; --n-cpu-moe keeps the experts of the
    first n blocks in RAM, so both counts are applied from the front of the layer list.
    """
    n = m.n_layers
    on_gpu = min(lay.n_gpu_layers, n)
    cpu, gpu = weight_bytes(m, lay)
    kv_gpu = kv_cache_bytes(m, lay.n_ctx, lay.kv_type, on_gpu)
    kv_cpu = kv_cache_bytes(m, lay.n_ctx, lay.kv_type, n - on_gpu)
    compute = compute_buffer_bytes(m, lay.n_ctx, lay.flash_attn, lay.n_batch)
    if on_gpu:
        # the GPU runs the big matmuls; the host keeps a smaller staging buffer
        result = {"cpu": cpu + kv_cpu + compute // 4, "gpu": gpu + kv_gpu + compute + CUDA_OVERHEAD}
    else:
        result = {"cpu": cpu + kv_cpu + compute}
    return result


def weight_bytes(m: ModelInfo, lay: LlamaLayout) -> tuple[int, int]:
    """(RAM, GPU) bytes of the weights alone for a llama.cpp layout (see llama_bytes)."""
    n = m.n_layers
    first_gpu = n - min(lay.n_gpu_layers, n)
    gpu = cpu = 0
    for il in range(n):
        layer, experts = m.layer_bytes[il], m.expert_bytes[il]
        if il < first_gpu:
            cpu += layer
        elif il < lay.n_cpu_moe:
            cpu += experts
            gpu += layer - experts
        else:
            gpu += layer
    cpu += m.embd_bytes
    out = m.output_bytes + (m.embd_bytes if m.hparams.tied_embeddings else 0)
    if lay.n_gpu_layers > n:  # the output head goes to the GPU only with every layer
        gpu += out
    else:
        cpu += m.output_bytes
    return cpu, gpu


def torch_bytes(m: ModelInfo, n_ctx: int, bytes_per_weight: int = 2) -> int:
    """Full-precision weights + the engine's own KV cache (MLA latent for DeepSeek-V2/V3) + working
    memory, which grows with the context past the 4096 tokens TORCH_OVERHEAD covers: a prompt
    chunk's attention scores against every cached key (float32, the math kernel's worst case) and
    the keys and values of the whole context expanded to every head for one layer."""
    a = m.hparams
    per_key = a.n_head * (TORCH_PREFILL_CHUNK * 4 + (a.head_dim_k + a.head_dim_v) * bytes_per_weight)
    longer = max(0, n_ctx - TORCH_OVERHEAD_CTX) * per_key
    return (m.n_params * bytes_per_weight + n_ctx * kv_bytes_per_token(a, "torch") + TORCH_OVERHEAD
            + longer)


def active_bytes(m: ModelInfo, lay: LlamaLayout) -> tuple[float, float]:
    """(cpu, gpu) weight bytes read per decoded token: routed experts count at used/total."""
    share = m.hparams.n_experts_used / m.n_experts if m.n_experts else 1.0
    first_gpu = m.n_layers - min(lay.n_gpu_layers, m.n_layers)
    cpu = gpu = 0.0
    for il in range(m.n_layers):
        dense, experts = m.layer_bytes[il] - m.expert_bytes[il], m.expert_bytes[il] * share
        if il < first_gpu:
            cpu += dense + experts
        elif il < lay.n_cpu_moe:
            cpu, gpu = cpu + experts, gpu + dense
        else:
            gpu += dense + experts
    out = m.output_bytes + (m.embd_bytes if m.hparams.tied_embeddings else 0)
    if lay.n_gpu_layers > m.n_layers:
        gpu += out
    else:
        cpu += out
    return cpu, gpu
