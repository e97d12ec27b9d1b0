"""Folders written by transformers itself (every kind the torch engine runs) pass the plan-time
check of config.json against the weights; the same folder with a wrong hidden_size is refused
when planned, and the loader, reading the same headers, agrees."""
import json
import shutil

import pytest

from runtime.modelfile import inspect
from runtime.types import ModelFileError
from tests.torch_moe.tiny import KINDS


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_real_checkpoints_match_their_config(tiny, kind):
    folder, _ = tiny(kind)
    assert inspect(str(folder)).format == "hf"


def test_a_wrong_hidden_size_is_refused_before_loading(tiny, tmp_path):
    from runtime.backends.torch_moe.loader import load_model

    folder, _ = tiny("llama")
    wrong = tmp_path / "wrong"
    shutil.copytree(folder, wrong)
    cfg = json.loads((wrong / "config.json").read_text())
    cfg["hidden_size"] = 128
    (wrong / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelFileError, match=r"model.embed_tokens.weight is \[320, 64\], but config.json "
                                             r"\(vocab_size 320, hidden_size 128\) makes it \[320, 128\]"):
        inspect(str(wrong))
    with pytest.raises(ModelFileError, match="has shape"):  # what the user saw before: only at load
        load_model(wrong, dtype="float32", n_ctx=64)
