"""Header-true DeepSeek GGUFs whose tensor data is a hole: hundreds of GiB claimed, a few MB on disk.

The header is what llama.cpp's converter writes for the `deepseek2` architecture (DeepSeek-V2/V3/R1,
MLA with the split attn_k_b / attn_v_b tensors, head_count_kv 1), with the published shapes:
every tensor's name, shape and quantization type, the hyperparameters, a tokenizer of the real
size (129,280 tokens and 127,741 merges for V3, so the first shard's header is as big as the real
one's, about 5 MB). After the tensor-info table the file is extended with truncate(), so the data
region is a sparse hole: reading it yields zeros, and the file costs only its header on disk.

Split models are written the way llama.cpp's gguf-split does by default (--split-max-tensors 128):
`NAME-00001-of-00009.gguf` ..., every shard with `split.no` (u16), `split.count` (u16) and
`split.tensors.count` (i32); only the first shard carries the model's metadata.

API:
    write_deepseek(folder, quant="Q4_K_M", shape=V3, split=True) -> SparseModel
        SparseModel.files: the shard paths, first first; .claimed_bytes: their apparent size;
        .sha256: a stable stand-in digest per file (hashing 400 GiB of holes would take minutes,
        so the fake Hub declares these instead; never download a sparse file expecting it to verify).
    V3, R1, V2_LITE: the shapes. QUANTS: the quantizations it can write.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

import gguf
import numpy as np
from gguf import GGML_QUANT_SIZES, GGMLQuantizationType as T, LlamaFileType

SPLIT_MAX_TENSORS = 128  # gguf-split's default


@dataclass(frozen=True)
class DeepSeekShape:
    name: str
    n_layers: int
    n_embd: int
    n_ff: int  # the leading dense layers' FFN width
    n_head: int
    q_lora_rank: int  # 0: a plain attn_q (V2-Lite)
    kv_lora_rank: int
    qk_nope: int
    qk_rope: int
    v_head: int
    n_experts: int
    n_experts_used: int
    n_shared: int
    n_ff_exp: int
    n_dense: int
    n_vocab: int
    n_merges: int
    ctx: int
    gating_func: int  # 1 softmax (V2), 2 sigmoid (V3)
    weights_scale: float
    weights_norm: bool
    yarn_factor: float


V3 = DeepSeekShape("DeepSeek V3", 61, 7168, 18432, 128, 1536, 512, 128, 64, 128, 256, 8, 1, 2048, 3,
                   129280, 127741, 163840, 2, 2.5, True, 40.0)
R1 = replace(V3, name="DeepSeek R1")
V2_LITE = DeepSeekShape("DeepSeek-V2-Lite-Chat", 27, 2048, 10944, 16, 0, 512, 128, 64, 128, 64, 6, 2,
                        1408, 1, 102400, 99757, 163840, 1, 1.0, False, 40.0)

# quant -> (most weights, "more bits" tensors: output and some ffn_down, llama.cpp's use_more_bits)
QUANTS = {
    "Q2_K": (T.Q2_K, T.Q4_K, LlamaFileType.MOSTLY_Q2_K),
    "Q3_K_M": (T.Q3_K, T.Q5_K, LlamaFileType.MOSTLY_Q3_K_M),
    "Q4_K_M": (T.Q4_K, T.Q6_K, LlamaFileType.MOSTLY_Q4_K_M),
    "Q5_K_M": (T.Q5_K, T.Q6_K, LlamaFileType.MOSTLY_Q5_K_M),
    "Q6_K": (T.Q6_K, T.Q6_K, LlamaFileType.MOSTLY_Q6_K),
    "Q8_0": (T.Q8_0, T.Q8_0, LlamaFileType.MOSTLY_Q8_0),
    "BF16": (T.BF16, T.BF16, LlamaFileType.MOSTLY_BF16),
}
# k-quants need rows of 256 values; llama.cpp falls back to these for narrower rows (attn_k_b: 128)
_NARROW = {T.Q2_K: T.Q4_0, T.Q3_K: T.Q4_0, T.Q4_K: T.Q5_0, T.Q5_K: T.Q5_1, T.Q6_K: T.Q8_0}


@dataclass(frozen=True)
class SparseModel:
    files: tuple[Path, ...]
    claimed_bytes: int
    sha256: dict[Path, str]
    quant: str
    n_tensors: int


def tensors(s: DeepSeekShape) -> list[tuple[str, tuple[int, ...], str]]:
    """(name, shape in ggml order (ne0 first), role) for every tensor, in the converter's order."""
    heads_qk = s.n_head * (s.qk_nope + s.qk_rope)
    out = [("token_embd.weight", (s.n_embd, s.n_vocab), "embd")]
    for i in range(s.n_layers):
        b = f"blk.{i}."
        out += [(b + "attn_norm.weight", (s.n_embd,), "norm")]
        if s.q_lora_rank:
            out += [(b + "attn_q_a_norm.weight", (s.q_lora_rank,), "norm"),
                    (b + "attn_q_a.weight", (s.n_embd, s.q_lora_rank), "w"),
                    (b + "attn_q_b.weight", (s.q_lora_rank, heads_qk), "w")]
        else:
            out += [(b + "attn_q.weight", (s.n_embd, heads_qk), "w")]
        out += [(b + "attn_kv_a_norm.weight", (s.kv_lora_rank,), "norm"),
                (b + "attn_kv_a_mqa.weight", (s.n_embd, s.kv_lora_rank + s.qk_rope), "w"),
                (b + "attn_k_b.weight", (s.qk_nope, s.kv_lora_rank, s.n_head), "w"),
                (b + "attn_v_b.weight", (s.kv_lora_rank, s.v_head, s.n_head), "w"),
                (b + "attn_output.weight", (s.n_head * s.v_head, s.n_embd), "w"),
                (b + "ffn_norm.weight", (s.n_embd,), "norm")]
        if i < s.n_dense:
            out += [(b + "ffn_gate.weight", (s.n_embd, s.n_ff), "w"),
                    (b + "ffn_up.weight", (s.n_embd, s.n_ff), "w"),
                    (b + "ffn_down.weight", (s.n_ff, s.n_embd), "down")]
            continue
        out += [(b + "ffn_gate_inp.weight", (s.n_embd, s.n_experts), "norm")]
        if s.gating_func == 2:
            out += [(b + "exp_probs_b.bias", (s.n_experts,), "norm")]
        out += [(b + "ffn_gate_exps.weight", (s.n_embd, s.n_ff_exp, s.n_experts), "w"),
                (b + "ffn_up_exps.weight", (s.n_embd, s.n_ff_exp, s.n_experts), "w"),
                (b + "ffn_down_exps.weight", (s.n_ff_exp, s.n_embd, s.n_experts), "down"),
                (b + "ffn_gate_shexp.weight", (s.n_embd, s.n_ff_exp * s.n_shared), "w"),
                (b + "ffn_up_shexp.weight", (s.n_embd, s.n_ff_exp * s.n_shared), "w"),
                (b + "ffn_down_shexp.weight", (s.n_ff_exp * s.n_shared, s.n_embd), "down")]
    out += [("output_norm.weight", (s.n_embd,), "norm"), ("output.weight", (s.n_embd, s.n_vocab), "out")]
    return out


def _more_bits(il: int, n: int) -> bool:  # llama.cpp's use_more_bits()
    return il < n // 8 or il >= 7 * n // 8 or (il - n // 8) % 3 == 2


def _qtype(name: str, shape: tuple[int, ...], role: str, quant: str, n_layers: int) -> T:
    base, more, _ = QUANTS[quant]
    if role == "norm":
        return T.F32
    if role == "out":
        t = T.Q6_K if base not in (T.Q8_0, T.BF16) else base
    elif role == "down" and name.startswith("blk.") and _more_bits(int(name.split(".")[1]), n_layers):
        t = more
    else:
        t = base
    block = GGML_QUANT_SIZES[t][0]
    if shape[0] % block:
        t = _NARROW.get(t, T.F16)
    return t


def _nbytes(shape: tuple[int, ...], t: T) -> int:
    block, size = GGML_QUANT_SIZES[t]
    return int(np.prod(shape, dtype=np.int64)) // block * size


def _metadata(w: gguf.GGUFWriter, s: DeepSeekShape, quant: str) -> None:
    a = "deepseek2"
    w.add_name(s.name)
    w.add_block_count(s.n_layers)
    w.add_context_length(s.ctx)
    w.add_embedding_length(s.n_embd)
    w.add_feed_forward_length(s.n_ff)
    w.add_head_count(s.n_head)
    w.add_head_count_kv(1)  # MLA: one latent "head" is cached
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_expert_used_count(s.n_experts_used)
    w.add_leading_dense_block_count(s.n_dense)
    w.add_vocab_size(s.n_vocab)
    if s.q_lora_rank:
        w.add_q_lora_rank(s.q_lora_rank)
    w.add_kv_lora_rank(s.kv_lora_rank)
    w.add_key_length(s.kv_lora_rank + s.qk_rope)
    w.add_value_length(s.kv_lora_rank)
    w.add_uint32(f"{a}.attention.key_length_mla", s.qk_nope + s.qk_rope)
    w.add_uint32(f"{a}.attention.value_length_mla", s.v_head)
    w.add_expert_feed_forward_length(s.n_ff_exp)
    w.add_expert_count(s.n_experts)
    w.add_expert_shared_count(s.n_shared)
    w.add_expert_weights_scale(s.weights_scale)
    w.add_bool(f"{a}.expert_weights_norm", s.weights_norm)
    w.add_uint32(f"{a}.expert_gating_func", s.gating_func)
    w.add_rope_dimension_count(s.qk_rope)
    w.add_string(f"{a}.rope.scaling.type", "yarn")
    w.add_float32(f"{a}.rope.scaling.factor", s.yarn_factor)
    w.add_uint32(f"{a}.rope.scaling.original_context_length", 4096)
    w.add_float32(f"{a}.rope.scaling.yarn_log_multiplier", 0.1)
    w.add_file_type(QUANTS[quant][2])
    w.add_quantization_version(2)
    _tokenizer(w, s)


def _tokenizer(w: gguf.GGUFWriter, s: DeepSeekShape) -> None:
    """A vocabulary of the real size; the strings are stand-ins of a typical BPE token's length."""
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("deepseek-v3")
    w.add_token_list([f"Ġt{i:05x}" for i in range(s.n_vocab)])
    w.add_token_types([1] * s.n_vocab)
    w.add_token_merges([f"Ġt{i % 4096:03x} {i:05x}" for i in range(s.n_merges)])
    w.add_bos_token_id(0)
    w.add_eos_token_id(1)
    w.add_pad_token_id(1)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    w.add_chat_template(
        "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}<｜User｜>{{ m['content'] }}"
        "{% elif m['role'] == 'assistant' %}<｜Assistant｜>{{ m['content'] }}<｜end▁of▁sentence｜>"
        "{% else %}{{ m['content'] }}{% endif %}{% endfor %}"
        "{% if add_generation_prompt %}<｜Assistant｜>{% endif %}")


def write_deepseek(folder: Path, quant: str = "Q4_K_M", shape: DeepSeekShape = V3, split: bool = True,
                   stem: str | None = None) -> SparseModel:
    """Write a sparse GGUF (split by gguf-split's default when `split`) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = stem or f"{shape.name.replace(' ', '-')}-{quant}"
    path = folder / f"{stem}.gguf"
    w = gguf.GGUFWriter(str(path), "deepseek2", split_max_tensors=SPLIT_MAX_TENSORS if split else 0)
    _metadata(w, shape, quant)
    table = tensors(shape)
    for name, ne, role in table:
        t = _qtype(name, ne, role, quant, shape.n_layers)
        w.add_tensor_info(name, ne[::-1], np.dtype(np.float32), _nbytes(ne, t), raw_dtype=t)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    files = [Path(f.name) for f in w.fout]
    for fout, shard in zip(w.fout, w.tensors):
        start = gguf.GGUFWriter.ggml_pad(fout.tell(), w.data_alignment)
        data = sum(gguf.GGUFWriter.ggml_pad(ti.nbytes, w.data_alignment) for ti in shard.values())
        fout.truncate(start + data)  # the data region: a hole, never written
    w.close()
    return SparseModel(tuple(files), sum(os.path.getsize(f) for f in files),
                       {f: _stand_in_sha256(f) for f in files}, quant, len(table))


def _stand_in_sha256(path: Path) -> str:
    """A digest of the header bytes and the size: stable for a file, different between files."""
    h = hashlib.sha256(b"deskseek-sparse-gguf")
    with open(path, "rb") as f:
        h.update(f.read(1 << 20))
    h.update(str(os.path.getsize(path)).encode())
    return h.hexdigest()
