"""The MLA cache holds only the latent and the rope key: 8.9x less than full K/V for V2-Lite, 71x for V3."""
from __future__ import annotations

import pytest
import torch

from runtime.backends.torch_moe.config import from_dict
from runtime.backends.torch_moe.mla import MLA

MLA_DIMS = dict(kv_lora_rank=512, qk_nope_head_dim=128, qk_rope_head_dim=64, v_head_dim=128)
V2_LITE = dict(model_type="deepseek_v2", vocab_size=102400, hidden_size=2048, intermediate_size=10944,
               num_hidden_layers=27, num_attention_heads=16, q_lora_rank=None, **MLA_DIMS)
V3 = dict(model_type="deepseek_v3", vocab_size=129280, hidden_size=7168, intermediate_size=18432,
          num_hidden_layers=61, num_attention_heads=128, q_lora_rank=1536, **MLA_DIMS)


@pytest.mark.parametrize("raw,ratio", [(V2_LITE, 8.9), (V3, 71.1)])
def test_latent_cache_is_smaller_than_full_kv(raw, ratio):
    cfg = from_dict(raw)
    with torch.device("meta"):
        attn = MLA(cfg)
    attn.setup_cache(1, 1000, torch.bfloat16, "meta")
    per_token = attn.cache.numel() / 1000
    full = cfg.num_heads * (cfg.qk_head_dim + cfg.v_head_dim)  # K and V for every head
    assert per_token == cfg.kv_cache_width() == 576
    assert round(full / per_token, 1) == ratio
