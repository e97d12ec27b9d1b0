"""inspect(path) -> ModelInfo: what a model file holds, read from its headers only.

A GGUF file (or split GGUF) and a Hugging Face folder give the same description, so the planner
never cares where a model came from. Every failure is a ModelFileError naming the file.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Sequence

from runtime.modelfile.arch import Arch, arch_from_gguf, arch_from_hf_config, count_params, kv_bytes_per_token
from runtime.modelfile.gguf_file import ArrayLength, ByteSource, GgufContents, read_gguf, read_gguf_sources
from runtime.modelfile.hf_folder import is_routed_expert, layer_of, read_config, read_hf_folder
from runtime.modelfile.hf_shapes import check_shapes
from runtime.modelfile.lfs_pointer import POINTER_MAX_BYTES, pointer_sentence
from runtime.types import ModelFileError

__all__ = ["ModelInfo", "inspect", "inspect_gguf_sources", "from_config", "Arch", "ByteSource"]


@dataclass(frozen=True)
class ModelInfo:
    path: str
    format: Literal["gguf", "hf"]
    name: str
    arch: str
    n_params: int
    n_active_params: int  # per token: all but the routed experts not chosen
    n_experts: int  # routed experts per MoE layer; 0 for a dense model
    n_layers: int
    kv_bytes_per_token: int  # K+V over all layers at f16, as this format's engine caches it
    ctx_train: int
    chat_template: str | None
    file_bytes: int
    dtype: str  # "Q4_K_M", "BF16"...
    weight_bytes: int  # all tensor data
    layer_bytes: tuple[int, ...]  # per transformer block
    expert_bytes: tuple[int, ...]  # routed-expert tensors per block (llama.cpp --n-cpu-moe moves these)
    embd_bytes: int  # token embeddings: llama.cpp keeps them in RAM
    output_bytes: int  # output head + final norm: on the GPU only when every layer is
    hparams: Arch
    bos_token_id: int | None = None
    eos_token_id: int | None = None
    files: tuple[str, ...] = field(default=())

    @property
    def n_experts_used(self) -> int:
        return self.hparams.n_experts_used

    @property
    def bits_per_weight(self) -> float:
        return 8 * self.weight_bytes / max(1, self.n_params)


def inspect(path: str) -> ModelInfo:
    path = os.path.abspath(os.path.expanduser(str(path)))
    name = os.path.basename(path)
    if not os.path.exists(path):
        raise ModelFileError(f"The model {name} does not exist (looked for {path}).")
    try:
        if os.path.isdir(path):
            return _from_hf(path)
        with open(path, "rb") as f:
            head = f.read(POINTER_MAX_BYTES)
    except PermissionError:
        raise ModelFileError(f"The model {name} cannot be read: permission denied.") from None
    magic = head[:4]
    if magic != b"GGUF":
        if lfs := pointer_sentence(name, head):
            raise ModelFileError(lfs)
        if name.endswith(".safetensors"):
            raise ModelFileError(f"{name} is one safetensors file; open the folder that holds it and "
                                 "its config.json instead.")
        if not magic:
            raise ModelFileError(f"{name} is empty (0 bytes), not a model file.")
        raise ModelFileError(f"{name} is not a GGUF model file: GGUF files begin with the letters "
                             f"'GGUF', this one with {describe_start(magic)}.")
    return _from_gguf(path)


def describe_start(data: bytes) -> str:
    """The first bytes of a file in words a user can read."""
    printable = ""
    for b in data:
        if not 32 <= b < 127:
            break
        printable += chr(b)
    if len(printable) >= 2:
        return f"'{printable}'" + ("…" if len(printable) < len(data) else "")
    return "the bytes " + " ".join(f"{b:02x}" for b in data)


def inspect_gguf_sources(sources: Sequence[ByteSource], path: str) -> ModelInfo:
    """A GGUF (all shards of a split one, first first) read from byte sources, e.g. HTTP Range
    requests: the same description as inspect() gives for the file on disk. `path` names it."""
    names = [f"{path.rsplit('/', 1)[0]}/{s.name}" if "/" in path else s.name for s in sources]
    return _from_gguf(path, read_gguf_sources(sources, names))


def _from_gguf(path: str, g: GgufContents | None = None) -> ModelInfo:
    g = g or read_gguf(path)
    meta = g.metadata
    tokens = meta.get("tokenizer.ggml.tokens")
    n_vocab = tokens.length if isinstance(tokens, ArrayLength) else len(tokens or [])
    a = arch_from_gguf(meta, n_vocab)
    if a.name not in _known_gguf_archs():
        raise ModelFileError(f"{os.path.basename(path)} is a '{a.name}' model, an architecture this "
                             "llama.cpp does not know (a newer one than DeskSeek ships?).")
    if a.n_layers <= 0:
        raise ModelFileError(f"{os.path.basename(path)} has no {a.name}.block_count: not a model "
                             "llama.cpp can run (a vocab-only or adapter file?).")
    layer_b, expert_b, layer_n, routed_n = [0] * a.n_layers, [0] * a.n_layers, 0, 0
    embd_b = out_b = 0
    for t in g.tensors:
        parts = t.name.split(".")
        if parts[0] == "blk" and parts[1].isdigit() and int(parts[1]) < a.n_layers:
            il = int(parts[1])
            layer_b[il] += t.n_bytes
            layer_n += t.n_elements
            if "_exps" in t.name:  # ffn_{gate,up,down}_exps: the routed experts
                expert_b[il] += t.n_bytes
                routed_n += t.n_elements
        elif t.name.startswith("token_embd"):
            embd_b += t.n_bytes
        else:
            out_b += t.n_bytes
    n_params = sum(t.n_elements for t in g.tensors)
    if not any(t.name == "output.weight" for t in g.tensors):  # llama.cpp reuses token_embd
        a = replace(a, tied_embeddings=True)
    return ModelInfo(
        path=path, format="gguf", name=str(meta.get("general.name") or os.path.basename(path)),
        arch=a.name, n_params=n_params, n_active_params=_active(n_params, routed_n, a),
        n_experts=a.n_experts, n_layers=a.n_layers, kv_bytes_per_token=kv_bytes_per_token(a),
        ctx_train=a.ctx_train, chat_template=meta.get("tokenizer.chat_template"),
        file_bytes=g.file_bytes, dtype=_gguf_dtype(meta), weight_bytes=sum(t.n_bytes for t in g.tensors),
        layer_bytes=tuple(layer_b), expert_bytes=tuple(expert_b), embd_bytes=embd_b, output_bytes=out_b,
        hparams=a, bos_token_id=meta.get("tokenizer.ggml.bos_token_id"),
        eos_token_id=meta.get("tokenizer.ggml.eos_token_id"), files=g.files,
    )


def _from_hf(folder: str) -> ModelInfo:
    try:  # the architecture first: an unknown one is the clearer message
        config = read_config(folder)
        if not config.get("model_type"):
            raise KeyError("model_type")
        a = arch_from_hf_config(config)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelFileError(f"config.json in {os.path.basename(folder)} lacks {exc}, which every "
                             "supported architecture has.") from None
    hf = read_hf_folder(folder)
    check_shapes(folder, config, hf.tensors)
    layer_b, expert_b, routed_n = [0] * a.n_layers, [0] * a.n_layers, 0
    embd_b = out_b = 0
    for t in hf.tensors:
        il = layer_of(t.name)
        if il is not None and il < a.n_layers:  # DeepSeek-V3's MTP layer 61 is not run
            layer_b[il] += t.n_bytes
            if is_routed_expert(t.name):
                expert_b[il] += t.n_bytes
                routed_n += t.n_elements
        elif il is None and "embed_tokens" in t.name:
            embd_b += t.n_bytes
        elif il is None:
            out_b += t.n_bytes
    used = [t for t in hf.tensors if (layer_of(t.name) or 0) < a.n_layers]
    n_params = sum(t.n_elements for t in used)
    by_dtype: dict[str, int] = {}
    for t in used:
        by_dtype[t.dtype] = by_dtype.get(t.dtype, 0) + t.n_bytes
    return ModelInfo(
        path=folder, format="hf", name=os.path.basename(folder), arch=a.name, n_params=n_params,
        n_active_params=_active(n_params, routed_n, a), n_experts=a.n_experts, n_layers=a.n_layers,
        kv_bytes_per_token=kv_bytes_per_token(a, "torch"), ctx_train=a.ctx_train,
        chat_template=hf.chat_template, file_bytes=hf.file_bytes, dtype=max(by_dtype, key=by_dtype.get, default="unknown"),
        weight_bytes=sum(t.n_bytes for t in used), layer_bytes=tuple(layer_b),
        expert_bytes=tuple(expert_b), embd_bytes=embd_b, output_bytes=out_b, hparams=a,
        bos_token_id=_first(hf.special.get("bos_token_id")),
        eos_token_id=_first(hf.special.get("eos_token_id")), files=hf.files,
    )


def from_config(config: dict[str, Any], name: str, fmt: Literal["gguf", "hf"] = "gguf",
                bits_per_weight: float = 16.0, dtype: str | None = None) -> ModelInfo:
    """A ModelInfo for a model described only by its published config.json (the doc table).

    Sizes assume every weight at `bits_per_weight`; a GGUF's KV cache as llama.cpp stores it.
    """
    a = arch_from_hf_config(config)
    p = count_params(a, config)
    scale = bits_per_weight / 8

    def b(n: int) -> int:
        return int(n * scale)
    layer_b = tuple(b(n) for n in p.per_layer)
    routed = sum(p.routed_per_layer)
    return ModelInfo(
        path=name, format=fmt, name=name, arch=a.name, n_params=p.total,
        n_active_params=_active(p.total, routed, a), n_experts=a.n_experts, n_layers=a.n_layers,
        kv_bytes_per_token=kv_bytes_per_token(a, "llama_cpp" if fmt == "gguf" else "torch"),
        ctx_train=a.ctx_train, chat_template=None, file_bytes=b(p.total),
        dtype=dtype or ("BF16" if bits_per_weight == 16 else f"{bits_per_weight} bpw"),
        weight_bytes=b(p.total), layer_bytes=layer_b,
        expert_bytes=tuple(b(n) for n in p.routed_per_layer), embd_bytes=b(p.embedding),
        output_bytes=b(p.output), hparams=a,
    )


def _known_gguf_archs() -> set[str]:
    from gguf import MODEL_ARCH_NAMES  # gguf-py moves in step with llama.cpp's architectures
    return set(MODEL_ARCH_NAMES.values())


def _active(n_params: int, routed: int, a: Arch) -> int:
    if not a.n_experts:
        return n_params
    return int(n_params - routed + routed * a.n_experts_used / a.n_experts)


def _gguf_dtype(meta: dict[str, Any]) -> str:
    from gguf import LlamaFileType
    ftype = meta.get("general.file_type")
    try:
        return LlamaFileType(int(ftype)).name.removeprefix("MOSTLY_")
    except (TypeError, ValueError):
        return "unknown"


def _first(value: Any) -> int | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value if isinstance(value, int) else None
