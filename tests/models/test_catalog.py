"""The curated catalog as shipped: every entry well-formed, repos unique, the card values in range."""
from __future__ import annotations

import copy
import json

import pytest

from app.models.catalog import CATALOG_FILE, CatalogError, load_catalog, parse_catalog

REQUIRED = {  # the family the issue names, by its original repo
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B",
    "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
    "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B", "deepseek-ai/DeepSeek-V2-Lite-Chat",
    "deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct", "deepseek-ai/deepseek-moe-16b-chat",
    "deepseek-ai/deepseek-llm-7b-chat", "deepseek-ai/deepseek-llm-67b-chat",
    "deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-R1",
}


def raw() -> dict:
    return json.loads(CATALOG_FILE.read_text(encoding="utf-8"))


def test_the_shipped_catalog_is_valid_and_complete():
    catalog = load_catalog()
    assert {e.original for e in catalog.entries} == REQUIRED
    repos = [r.lower() for e in catalog.entries for r in e.repos]
    assert len(repos) == len(set(repos))
    for e in catalog.entries:
        assert e.gguf and all(r.endswith("-GGUF") for r in e.gguf)
        assert e.text("description", "zh_CN") != e.text("description", "en")
        assert 0 < e.params_active <= e.params_total


def test_r1_and_its_distills_carry_the_cards_values():
    catalog = load_catalog()
    for e in catalog.entries:
        if "R1-Distill" in e.original or e.original.endswith("/DeepSeek-R1"):
            assert (e.family.temperature, e.family.top_p, e.family.system_prompt) == (0.6, 0.95, False)
    assert catalog.by_id("deepseek-v3").family.temperature == 0.3
    assert all("card" in f.source for f in catalog.families.values())


@pytest.mark.parametrize("names, expected", [
    (("DeepSeek-R1-Distill-Qwen-14B-Q4_K_M.gguf",), "deepseek-r1-distill-qwen-14b"),
    (("DeepSeek-R1-Distill-Qwen-1.5B-Q8_0.gguf",), "deepseek-r1-distill-qwen-1.5b"),
    (("deepseek-ai_DeepSeek-R1-0528-Qwen3-8B-Q6_K.gguf",), "deepseek-r1-0528-qwen3-8b"),
    (("model.gguf", "DeepSeek R1 Distill Llama 8B"), "deepseek-r1-distill-llama-8b"),
    (("DeepSeek-R1-UD-IQ1_S-00001-of-00003.gguf",), "deepseek-r1"),
    (("models--bartowski--DeepSeek-Coder-V2-Lite-Instruct-GGUF",), "deepseek-coder-v2-lite-instruct"),
    (("SmolLM2-135M-Instruct-Q8_0.gguf",), None),
])
def test_a_local_file_finds_its_entry(names, expected):
    entry = load_catalog().match(*names)
    assert (entry.id if entry else None) == expected


def test_bad_entries_are_each_named():
    data = raw()
    data["families"]["deepseek-v3"]["sampling"]["temperature"] = 3.5
    data["models"][1]["gguf"].append(data["models"][0]["gguf"][0])  # a repo listed twice
    data["models"][2]["original"] = "someone/DeepSeek-R1-Distill-Qwen-14B"
    del data["models"][3]["description"]["zh"]
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    text = " ".join(caught.value.problems)
    assert "temperature must be a number from 0 to 2 (got 3.5)" in text
    assert f"Repo {data['models'][0]['gguf'][0]} is listed twice" in text
    assert "original must be a deepseek-ai/" in text
    assert "English and Chinese" in text


def test_a_damaged_file_is_a_sentence(tmp_path):
    broken = tmp_path / "catalog.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog.__wrapped__(broken)
    assert parse_catalog(copy.deepcopy(raw())).entries  # the real one still parses
