import torch

from runtime.backends.torch_moe import sampling


def test_top_k_keeps_k_best():
    out = sampling.top_k(torch.tensor([1.0, 5.0, 3.0, 4.0]), 2)
    assert torch.isinf(out[[0, 2]]).all() and out[1] == 5.0 and out[3] == 4.0


def test_top_p_keeps_smallest_set_reaching_p():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    kept = ~torch.isinf(sampling.top_p(logits, 0.75))
    assert kept.tolist() == [True, True, False, False]
    assert (~torch.isinf(sampling.top_p(logits, 0.1))).tolist() == [True, False, False, False]


def test_repetition_penalty_pushes_seen_tokens_down():
    logits = torch.tensor([2.0, -2.0, 1.0])
    out = sampling.repetition_penalty(logits, torch.tensor([0, 1]), 2.0)
    assert out.tolist() == [1.0, -4.0, 1.0]
    assert logits.tolist() == [2.0, -2.0, 1.0]  # pure


def test_zero_temperature_is_greedy_and_seeded_sampling_repeats():
    logits = torch.tensor([0.1, 3.0, 0.2, 2.9])
    assert sampling.sample(logits, 0.0, 40, 0.9) == 1
    draws = [sampling.sample(logits, 1.0, 0, 1.0, torch.Generator().manual_seed(7)) for _ in range(2)]
    assert draws[0] == draws[1]
    many = {sampling.sample(logits, 1.0, 2, 1.0, torch.Generator().manual_seed(s)) for s in range(40)}
    assert many == {1, 3}


def test_sample_applies_top_k_then_top_p_to_the_candidates():
    logits = torch.log(torch.tensor([0.05, 0.5, 0.15, 0.3]))
    draws = {sampling.sample(logits, 1.0, 3, 0.75, torch.Generator().manual_seed(s)) for s in range(60)}
    assert draws == {1, 3}  # top-3 = {1, 3, 2}; 0.5 + 0.3 reaches 0.75
    draws = {sampling.sample(logits, 1.0, 0, 1.0, torch.Generator().manual_seed(s)) for s in range(200)}
    assert draws == {0, 1, 2, 3}
