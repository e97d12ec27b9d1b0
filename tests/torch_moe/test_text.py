"""Tokenizer rules, chat template, and streaming text that never splits a character."""
from __future__ import annotations

from runtime.backends.torch_moe.detok import Detokenizer
from runtime.backends.torch_moe.tokenizer import HFTokenizer
from runtime.chat_template import ChatTemplate
from runtime.types import ChatMessage
from tests.torch_moe.tiny import BOS, make_tokenizer


def _tok(tmp_path):
    make_tokenizer(tmp_path)
    return HFTokenizer(tmp_path)


def test_bos_follows_tokenizer_config_and_specials_are_single_ids(tmp_path):
    tok = _tok(tmp_path)
    assert tok.add_bos and tok.encode("hi")[0] == tok.bos_id
    assert tok.encode("hi", add_bos=False)[0] != tok.bos_id
    ids = tok.encode("<｜User｜>hi", add_bos=False)
    assert ids[0] == tok.tok.token_to_id("<｜User｜>")
    assert tok.eos_id in tok.stop_ids


def test_chat_template_renders_deepseek_turns(tmp_path):
    tok = _tok(tmp_path)
    tpl = ChatTemplate(tok.chat_template, bos_token=tok.bos_token, eos_token=tok.eos_token)
    out = tpl.render([ChatMessage("user", "你好")])
    assert out.text == f"{BOS}<｜User｜>你好<｜Assistant｜>" and out.starts_with_bos


def test_detokenizer_streams_whole_characters_only(tmp_path):
    tok = _tok(tmp_path)
    text = "你好，世界！Hello 深度求索 🙂 done"
    ids = tok.encode(text, add_bos=False)
    detok = Detokenizer(tok.decode)
    pieces = [detok.add(i) for i in ids] + [detok.flush()]
    assert "".join(pieces) == text
    assert not any("\ufffd" in p for p in pieces)
    # Byte-level BPE splits the emoji (unseen in training) into byte tokens: some step held text.
    assert "" in pieces[:-1]
