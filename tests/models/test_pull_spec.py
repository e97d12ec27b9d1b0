"""Which files a pull means: names, quantizations, shards, the fallback recommendation."""
import pytest

from app.models.download_errors import DownloadError, NotFoundError
from app.models.gguf_names import group_models, quant_of, shard_names
from app.models.pull_spec import PullSpec, choose, parse_spec

R1 = "bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF"


@pytest.mark.parametrize("name, quant", [
    ("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", "Q4_K_M"),
    ("deepseek-r1-distill-qwen-7b.q4_k_m.gguf", "Q4_K_M"),
    ("SmolLM2-135M-Instruct.Q4_1.gguf", "Q4_1"),
    ("Q4_K_M/DeepSeek-V3-Q4_K_M-00001-of-00009.gguf", "Q4_K_M"),
    ("DeepSeek-R1-UD-IQ1_S/DeepSeek-R1-UD-IQ1_S-00002-of-00003.gguf", "UD-IQ1_S"),
    ("Qwen2.5-7B-Instruct-IQ2_XXS.gguf", "IQ2_XXS"),
    ("Qwen3-8B-BF16.gguf", "BF16"),
    ("model.gguf", None),
])
def test_quant_from_the_file_name(name, quant):
    assert quant_of(name) == quant


def test_any_shard_names_every_shard_of_its_model():
    assert shard_names("V3/V3-Q4_K_M-00002-of-00003.gguf") == (
        "V3/V3-Q4_K_M-00001-of-00003.gguf", "V3/V3-Q4_K_M-00002-of-00003.gguf", "V3/V3-Q4_K_M-00003-of-00003.gguf")
    assert shard_names("one-Q8_0.gguf") == ("one-Q8_0.gguf",)


def test_split_models_count_once_and_incomplete_ones_are_left_out():
    models = group_models(["a-Q2_K-00001-of-00002.gguf", "a-Q2_K-00002-of-00002.gguf", "b-Q8_0.gguf",
                           "c-Q4_0-00001-of-00003.gguf", "README.md"])
    assert [(m.path, m.quant, len(m.files)) for m in models] == [
        ("a-Q2_K-00001-of-00002.gguf", "Q2_K", 2), ("b-Q8_0.gguf", "Q8_0", 1)]


@pytest.mark.parametrize("text, spec", [
    (R1, PullSpec(R1)),
    (R1 + ":q4_k_m", PullSpec(R1, quant="q4_k_m")),
    (R1 + "/sub/x-Q8_0.gguf", PullSpec(R1, path="sub/x-Q8_0.gguf")),
    ("hf://" + R1 + ":Q8_0", PullSpec(R1, quant="Q8_0")),
])
def test_parse(text, spec):
    assert parse_spec(text) == spec


@pytest.mark.parametrize("text", ["DeepSeek-R1", "a/b/x.gguf:Q4_K_M", "a/:Q4", "a/b:"])
def test_bad_shapes_get_a_sentence(text):
    with pytest.raises(DownloadError):
        parse_spec(text)


MODELS = group_models(["m-Q2_K.gguf", "m-Q4_K_M.gguf", "m-Q8_0.gguf", "m-UD-Q2_K_XL-00001-of-00002.gguf",
                       "m-UD-Q2_K_XL-00002-of-00002.gguf"])


def test_quant_is_case_insensitive_and_finds_ud_variants():
    assert choose(PullSpec("o/m", quant="q8_0"), MODELS).path == "m-Q8_0.gguf"
    assert choose(PullSpec("o/m", quant="Q2_K_XL"), MODELS).files == (
        "m-UD-Q2_K_XL-00001-of-00002.gguf", "m-UD-Q2_K_XL-00002-of-00002.gguf")


def test_missing_quant_lists_what_there_is():
    with pytest.raises(NotFoundError, match="no Q5_K_M model. It has: Q2_K, Q4_K_M, Q8_0, UD-Q2_K_XL"):
        choose(PullSpec("o/m", quant="Q5_K_M"), MODELS)


def test_ambiguous_quant_names_the_candidates():
    models = group_models(["a-Q4_0.gguf", "b-Q4_0.gguf"])
    with pytest.raises(DownloadError, match="2 models in Q4_0: a-Q4_0.gguf, b-Q4_0.gguf"):
        choose(PullSpec("o/m", quant="Q4_0"), models)


def test_without_a_verdict_the_fallback_prefers_q4_k_m_then_its_neighbours():
    assert choose(PullSpec("o/m"), MODELS).path == "m-Q4_K_M.gguf"
    assert choose(PullSpec("o/m"), group_models(["x-Q8_0.gguf", "x-Q5_K_M.gguf"])).path == "x-Q5_K_M.gguf"
    assert choose(PullSpec("o/m"), MODELS, recommended="m-Q8_0.gguf").path == "m-Q8_0.gguf"


def test_a_repository_without_gguf_files_says_so():
    with pytest.raises(NotFoundError, match="no GGUF"):
        choose(PullSpec("o/m"), [])
