import json

import pytest

from runtime.modelfile import inspect
from runtime.types import ModelFileError
from tests.fixtures.models import real, tiny, tiny_deepseek2


def test_real_smollm2_gguf():
    path = real.need_smollm2()
    m = inspect(path)
    assert (m.format, m.arch, m.n_layers, m.ctx_train, m.dtype) == ("gguf", "llama", 30, 8192, "Q4_1")
    assert m.n_params == 134_515_008 == m.n_active_params and m.n_experts == 0
    assert m.kv_bytes_per_token == 30 * 3 * (64 + 64) * 2  # GQA: 3 KV heads of 64, K and V, f16
    assert m.chat_template.startswith("{% for message in messages %}")
    assert (m.bos_token_id, m.eos_token_id) == (1, 2)
    assert m.hparams.tied_embeddings and m.file_bytes == path.stat().st_size
    assert sum(m.layer_bytes) + m.embd_bytes + m.output_bytes == m.weight_bytes


def test_tiny_moe_gguf_counts_experts(tmp_path):
    m = inspect(tiny.write_gguf(tmp_path / "moe.gguf", n_layers=3, n_embd=64, n_experts=4))
    assert m.n_experts == 4 and m.n_experts_used == 2 and m.hparams.n_dense_layers == 1
    expert_elems = 3 * 64 * 32 * 4  # gate, up, down of 4 experts
    assert m.expert_bytes == (0, expert_elems * 4, expert_elems * 4)
    assert m.n_params - m.n_active_params == 2 * expert_elems // 2  # 2 of 4 experts run per token
    assert m.chat_template == tiny.TEMPLATE and not m.hparams.tied_embeddings


def test_split_gguf_reads_all_shards(tmp_path):
    tiny.write_gguf(tmp_path / "split.gguf", n_layers=4, split_max_tensors=4)
    shards = sorted(p.name for p in tmp_path.iterdir())
    n = len(shards)
    assert n > 2 and shards[0] == f"split-00001-of-{n:05d}.gguf"
    whole = inspect(tiny.write_gguf(tmp_path.parent / "whole.gguf", n_layers=4))
    m = inspect(tmp_path / shards[0])
    assert len(m.files) == n and m.n_params == whole.n_params and m.layer_bytes == whole.layer_bytes
    (tmp_path / shards[1]).unlink()
    with pytest.raises(ModelFileError, match=f"{shards[1]} of {n} is missing"):
        inspect(tmp_path / shards[0])


def test_hf_folder_sharded_moe(tmp_path):
    m = inspect(tiny.write_hf(tmp_path / "DeepSeek-Tiny", n_layers=3, n_experts=4, shards=2))
    assert (m.format, m.name, m.arch, m.n_layers, m.n_experts, m.dtype) == (
        "hf", "DeepSeek-Tiny", "deepseek2", 3, 4, "BF16")
    assert m.kv_bytes_per_token == 3 * (16 + 8) * 2  # MLA latent + rope key, bf16
    assert m.expert_bytes[0] == 0 and m.expert_bytes[1] == 4 * 32 * 64 * 2
    assert m.n_active_params == m.n_params - 2 * (4 * 32 * 64) // 2
    assert m.chat_template == tiny.TEMPLATE and (m.bos_token_id, m.eos_token_id) == (0, 1)


def truncate(path, keep):
    data = path.read_bytes()
    path.write_bytes(data[:keep] if keep >= 0 else data[:keep])


@pytest.mark.parametrize("keep, words", [(10, "too short"), (200, "truncated or corrupt"),
                                         (-100, "truncated: tensor output.weight")])
def test_truncated_gguf(tmp_path, keep, words):
    path = tiny.write_gguf(tmp_path / "cut.gguf")
    truncate(path, keep)
    with pytest.raises(ModelFileError, match=words) as err:
        inspect(path)
    assert "cut.gguf" in str(err.value)


def test_bad_inputs_name_the_file(tmp_path):
    with pytest.raises(ModelFileError, match="nothere.gguf does not exist"):
        inspect(tmp_path / "nothere.gguf")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelFileError, match="empty has no config.json"):
        inspect(tmp_path / "empty")
    (tmp_path / "notes.gguf").write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(ModelFileError, match=r"notes.gguf is not a GGUF model file: .* this one with 'PK'…"):
        inspect(tmp_path / "notes.gguf")
    bad_version = bytearray(tiny.write_gguf(tmp_path / "v9.gguf").read_bytes())
    bad_version[4:8] = (9).to_bytes(4, "little")
    (tmp_path / "v9.gguf").write_bytes(bad_version)
    with pytest.raises(ModelFileError, match="v9.gguf is GGUF version 9"):
        inspect(tmp_path / "v9.gguf")


def test_corrupt_hf_folders(tmp_path):
    folder = tiny.write_hf(tmp_path / "m", shards=2)
    (folder / "model-00002-of-00002.safetensors").unlink()
    with pytest.raises(ModelFileError, match="model-00002-of-00002.safetensors .* is missing"):
        inspect(folder)
    folder = tiny.write_hf(tmp_path / "cut")
    truncate(folder / "model.safetensors", -10)
    with pytest.raises(ModelFileError, match="model.safetensors is truncated"):
        inspect(folder)
    (folder / "model.safetensors").write_bytes(b"\xff" * 64)
    with pytest.raises(ModelFileError, match="model.safetensors is not a readable safetensors"):
        inspect(folder)
    (folder / "config.json").write_text(json.dumps({"model_type": "mystery"}))
    with pytest.raises(ModelFileError, match="config.json in cut lacks 'hidden_size'"):
        inspect(folder)


def test_mla_gguf_caches_the_latent_only():
    path = tiny_deepseek2.cached()
    m = inspect(path)
    assert (m.arch, m.n_experts, m.n_experts_used, m.hparams.n_dense_layers) == ("deepseek2", 8, 2, 1)
    assert m.hparams.is_mla and m.kv_bytes_per_token == 4 * (32 + 32) * 2  # K = latent + rope, no V
    assert m.expert_bytes == (0,) + (3 * 64 * 32 * 8 * 4,) * 3


def test_unknown_architectures(tmp_path):
    path = tiny.write_gguf(tmp_path / "odd.gguf")
    data = path.read_bytes().replace(b"general.architecture\x08\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00llama",
                                     b"general.architecture\x08\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00zzzzz")
    path.write_bytes(data.replace(b"llama.", b"zzzzz."))
    with pytest.raises(ModelFileError, match="odd.gguf is a 'zzzzz' model, an architecture this llama.cpp does not know"):
        inspect(path)
    folder = tiny.write_hf(tmp_path / "nomodeltype")
    cfg = json.loads((folder / "config.json").read_text())
    del cfg["model_type"]
    (folder / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelFileError, match="config.json in nomodeltype lacks 'model_type'"):
        inspect(folder)


def test_a_git_lfs_pointer_is_named_with_what_to_do(tmp_path):
    """What `git clone` without git-lfs leaves in place of the model (the spec's exact format)."""
    pointer = tmp_path / "SmolLM2-135M-Instruct-Q4_1.gguf"
    pointer.write_text("version https://git-lfs.github.com/spec/v1\n"
                       "oid sha256:4d7a0b1b3c5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a\n"
                       "size 102934528\n")
    with pytest.raises(ModelFileError) as err:
        inspect(pointer)
    text = str(err.value)
    assert text.startswith("SmolLM2-135M-Instruct-Q4_1.gguf is a Git LFS pointer")
    assert "98 MiB" in text and "git lfs pull" in text and "download link" in text
    assert "'vers'" not in text


def _with_config(folder, **changes):
    cfg = json.loads((folder / "config.json").read_text())
    cfg.update(changes)
    (folder / "config.json").write_text(json.dumps(cfg))
    return folder


@pytest.mark.parametrize("shape, changes, words", [
    ({}, {"hidden_size": 128},
     "model.embed_tokens.weight is [32, 64], but config.json (vocab_size 32, hidden_size 128) makes it [32, 128]"),
    ({}, {"intermediate_size": 100},
     "model.layers.0.mlp.up_proj.weight is [128, 64], but config.json (intermediate_size 100, hidden_size 64) "
     "makes it [100, 64]"),
    ({}, {"num_attention_heads": 8, "head_dim": 16},
     "model.layers.0.self_attn.q_proj.weight is [64, 64], but config.json (num_attention_heads 8, head_dim 16, "
     "hidden_size 64) makes it [128, 64]"),
    ({"n_layers": 3, "n_experts": 4}, {"moe_intermediate_size": 16},
     "model.layers.1.mlp.experts.0.up_proj.weight is [32, 64], but config.json (moe_intermediate_size 16, "
     "hidden_size 64) makes it [16, 64]"),
    ({"n_layers": 3, "n_experts": 4}, {"qk_rope_head_dim": 16},
     "model.layers.0.self_attn.q_proj.weight is [96, 64], but config.json (num_attention_heads 4, "
     "qk_nope_head_dim 16, qk_rope_head_dim 16, hidden_size 64) makes it [128, 64]"),
])
def test_a_config_that_does_not_match_its_weights_is_refused_when_planned(tmp_path, shape, changes, words):
    folder = _with_config(tiny.write_hf(tmp_path / "Mixed-Up", **shape), **changes)
    with pytest.raises(ModelFileError) as err:
        inspect(folder)
    assert str(err.value).startswith("config.json in Mixed-Up does not match its weights: ")
    assert words in str(err.value)


def test_planning_a_mismatched_folder_says_so(tmp_path, capsys):
    from runtime.cli import main

    folder = _with_config(tiny.write_hf(tmp_path / "Mixed-Up"), hidden_size=128)
    assert main(["plan", str(folder), "--no-gpu", "--ram", "64GiB"]) == 1
    err = capsys.readouterr().err
    assert "does not match its weights" in err and "hidden_size 128" in err


def test_packed_quantized_weights_are_not_held_to_float_shapes(tmp_path):
    """A 4-bit checkpoint stores its weights packed (U8, a different shape): not a mismatch."""
    folder = tiny.write_hf(tmp_path / "packed")
    st = folder / "model.safetensors"
    head_len = int.from_bytes(st.read_bytes()[:8], "little")
    header = json.loads(st.read_bytes()[8:8 + head_len])
    q = header["model.layers.0.self_attn.q_proj.weight"]
    q["dtype"], q["shape"] = "U8", [q["data_offsets"][1] - q["data_offsets"][0], 1]
    raw = json.dumps(header).encode()
    st.write_bytes(len(raw).to_bytes(8, "little") + raw + st.read_bytes()[8 + head_len:])
    assert inspect(folder).n_layers == 2
