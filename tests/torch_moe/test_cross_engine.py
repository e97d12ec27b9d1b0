"""Same weights, two engines: the torch engine and llama.cpp agree token for token."""
from __future__ import annotations

import json

import pytest

from runtime.cli.generate import main
from tests.torch_moe.tiny import PROMPTS

pytest.importorskip("llama_cpp")
pytest.importorskip("gguf")


def _cli(capsys, *args) -> dict:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


# llama.cpp reads deepseek2 without q-LoRA as "Lite" only at 26/27 layers; DeepSeek-MoE (v1) is
# its "deepseek" architecture.
@pytest.mark.parametrize("kind,layers", [("v3", 3), ("v2_lite", 26), ("deepseek_moe", 3)])
def test_torch_and_llama_cpp_greedy_tokens_match(tiny, tmp_path, capsys, kind, layers):
    from tests.torch_moe.gguf_export import export

    path, _ = tiny(kind, layers)
    gguf_path = export(path, tmp_path / f"{kind}.gguf")
    for prompt in PROMPTS:
        common = ("--greedy", "--max-tokens", "24", "--prompt", prompt, "--n-ctx", "256")
        ours = _cli(capsys, str(path), "--engine", "torch", "--dtype", "float32", *common)
        theirs = _cli(capsys, str(gguf_path), "--engine", "llama_cpp", *common)
        assert ours["prompt_ids"] == theirs["prompt_ids"]
        assert ours["prompt_ids"][0] == 0  # BOS, because tokenizer_config asks for it
        assert ours["ids"] == theirs["ids"] and len(ours["ids"]) > 0
        assert ours["text"] == theirs["text"]


def test_cli_reports_a_bad_model_as_an_error(tmp_path, capsys):
    assert main([str(tmp_path), "--engine", "torch", "--greedy", "--prompt", "hi"]) == 1
    assert "tokenizer.json" in capsys.readouterr().err
