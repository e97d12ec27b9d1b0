"""The three ways of running experts agree, and routing behaves as each DeepSeek version says."""
from __future__ import annotations

import dataclasses

import torch

from runtime.backends.torch_moe import config as C
from runtime.backends.torch_moe.moe import MoE, route
from tests.torch_moe.tiny import KINDS


def _cfg(kind: str) -> C.ModelConfig:
    model_type, extra = KINDS[kind]
    raw = dict(model_type=model_type, vocab_size=64, hidden_size=32, intermediate_size=48,
               num_hidden_layers=2, num_attention_heads=4, **extra)
    return C.from_dict(raw)


def test_grouped_one_token_and_gathered_paths_agree():
    torch.manual_seed(0)
    moe = MoE(_cfg("v3"))
    for p in moe.parameters():
        torch.nn.init.normal_(p, std=0.3)
    x = torch.randn(5, 32)
    with torch.no_grad():
        weights, idx = route(torch.nn.functional.linear(x, moe.gate), moe.bias, moe.cfg)
        grouped = moe._grouped(x, weights, idx)
        gathered = moe._gathered(x, weights, idx)
        single = torch.cat([moe._one_token(x[i : i + 1], weights[i : i + 1], idx[i : i + 1]) for i in range(5)])
    torch.testing.assert_close(gathered, grouped, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(single, grouped, atol=1e-5, rtol=1e-5)


def test_noaux_tc_bias_chooses_but_does_not_weigh():
    cfg = dataclasses.replace(_cfg("v3"), norm_topk_prob=False, routed_scaling_factor=1.0)
    logits = torch.zeros(1, 8)
    bias = torch.tensor([0, 0, 0, 0, 0, 0, 1.0, 2.0])
    weights, idx = route(logits, bias, cfg)
    assert sorted(idx[0].tolist()) == [6, 7]
    torch.testing.assert_close(weights, torch.full((1, 2), 0.5))  # sigmoid(0), bias not added


def test_group_limited_greedy_only_picks_from_best_groups():
    cfg = _cfg("v2")  # 8 experts in 4 groups, 2 groups kept, top-2
    logits = torch.tensor([[5.0, 0, 0, 4.9, 4.8, 0, 0, 0]])  # groups: (0,1) (2,3) (4,5) (6,7)
    _, idx = route(logits, None, cfg)
    assert sorted(idx[0].tolist()) == [0, 3]  # 4 (4.8) is in the third-best group


def test_unknown_architecture_is_a_clear_error():
    import pytest

    from runtime.types import ModelLoadError

    with pytest.raises(ModelLoadError, match="MixtralForCausalLM"):
        C.from_dict({"model_type": "mixtral", "architectures": ["MixtralForCausalLM"]})
