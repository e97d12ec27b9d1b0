"""A Hugging Face model folder: config.json, the safetensors headers and the shard index.

Only the JSON headers are read (8 bytes of length, then JSON), so inspecting a 600 GB model
takes milliseconds; each header is checked against its file's size to catch a truncated shard.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from runtime.modelfile.safetensors_header import SafetensorsTensor, read_safetensors_header
from runtime.types import ModelFileError

_LAYER = re.compile(r"(?:^|\.)layers\.(\d+)\.")


@dataclass(frozen=True)
class HfFolder:
    config: dict[str, Any]
    tensors: tuple[SafetensorsTensor, ...]
    files: tuple[str, ...]
    file_bytes: int
    chat_template: str | None
    special: dict[str, Any]  # bos/eos from generation_config.json / tokenizer_config.json


def read_config(folder: str) -> dict[str, Any]:
    name = os.path.basename(os.path.normpath(folder))
    config_path = os.path.join(folder, "config.json")
    if not os.path.isfile(config_path):
        raise ModelFileError(f"The folder {name} has no config.json, so it is not a Hugging Face "
                             "model folder (pick the .gguf file or the model's folder).")
    return _json(config_path)


def read_hf_folder(folder: str) -> HfFolder:
    config = read_config(folder)
    files = _weight_files(folder)
    tensors: list[SafetensorsTensor] = []
    for f in files:
        tensors.extend(read_safetensors_header(f))
    return HfFolder(config, tuple(tensors), tuple(files), sum(os.path.getsize(f) for f in files),
                    _chat_template(folder), _special_tokens(folder, config))


def _weight_files(folder: str) -> list[str]:
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.isfile(index):
        weight_map = _json(index).get("weight_map", {})
        names = sorted(set(weight_map.values()))
        for n in names:
            if not os.path.isfile(os.path.join(folder, n)):
                raise ModelFileError(f"Shard {n} listed in {os.path.basename(index)} is missing "
                                     f"from {os.path.basename(folder)}; download every part.")
        return [os.path.join(folder, n) for n in names]
    names = sorted(n for n in os.listdir(folder) if n.endswith(".safetensors"))
    if not names:
        raise ModelFileError(f"The folder {os.path.basename(folder)} has a config.json but no "
                             ".safetensors weights.")
    return [os.path.join(folder, n) for n in names]


def layer_of(tensor_name: str) -> int | None:
    m = _LAYER.search(tensor_name)
    return int(m.group(1)) if m else None


def is_routed_expert(tensor_name: str) -> bool:
    return ".experts." in tensor_name  # shared experts are named shared_experts


def _chat_template(folder: str) -> str | None:
    jinja = os.path.join(folder, "chat_template.jinja")
    if os.path.isfile(jinja):
        return open(jinja, encoding="utf-8").read()
    tok_cfg = os.path.join(folder, "tokenizer_config.json")
    if not os.path.isfile(tok_cfg):
        return None
    template = _json(tok_cfg).get("chat_template")
    if isinstance(template, list):  # [{"name": "default", "template": ...}, ...]
        named = {t.get("name"): t.get("template") for t in template if isinstance(t, dict)}
        template = named.get("default") or next(iter(named.values()), None)
    return template if isinstance(template, str) else None


def _special_tokens(folder: str, config: dict[str, Any]) -> dict[str, Any]:
    out = {"bos_token_id": config.get("bos_token_id"), "eos_token_id": config.get("eos_token_id")}
    gen = os.path.join(folder, "generation_config.json")
    if os.path.isfile(gen):
        g = _json(gen)
        out = {k: g.get(k, v) for k, v in out.items()}
    return out


def _json(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"{os.path.basename(path)} cannot be read as JSON ({exc}).") from None
    if not isinstance(data, dict):
        raise ModelFileError(f"{os.path.basename(path)} does not hold a JSON object.")
    return data
