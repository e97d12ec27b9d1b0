"""The model's own tokenizer.json (via `tokenizers`), its BOS rule, stop ids and chat template."""
from __future__ import annotations

import json
from pathlib import Path

from runtime.types import ModelFileError


def _read_json(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelFileError(f"{path.name} is unreadable: {e}") from e


def _token_str(value) -> str | None:
    return value.get("content") if isinstance(value, dict) else value


def _template(model_dir: Path, cfg: dict) -> str | None:
    tpl = cfg.get("chat_template")
    if isinstance(tpl, list):  # [{"name": "default", "template": ...}, ...]
        named = {t.get("name"): t.get("template") for t in tpl}
        tpl = named.get("default") or next(iter(named.values()), None)
    jinja = model_dir / "chat_template.jinja"
    if not tpl and jinja.exists():
        tpl = jinja.read_text(encoding="utf-8")
    return tpl or None


class HFTokenizer:
    def __init__(self, model_dir: str | Path) -> None:
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        path = model_dir / "tokenizer.json"
        if not path.exists():
            raise ModelFileError(f"{model_dir.name} has no tokenizer.json; the torch engine needs one.")
        try:
            self.tok = Tokenizer.from_file(str(path))
        except Exception as e:  # tokenizers raises plain Exception subclasses
            raise ModelFileError(f"tokenizer.json is unreadable: {e}") from e
        cfg = _read_json(model_dir / "tokenizer_config.json")
        gen = _read_json(model_dir / "generation_config.json")
        self.bos_token = _token_str(cfg.get("bos_token")) or ""
        self.eos_token = _token_str(cfg.get("eos_token")) or ""
        self.bos_id = self.tok.token_to_id(self.bos_token) if self.bos_token else None
        self.eos_id = self.tok.token_to_id(self.eos_token) if self.eos_token else None
        self.add_bos = self._wants_bos(cfg.get("add_bos_token"))
        eos = gen.get("eos_token_id")
        extra = eos if isinstance(eos, list) else [eos]
        self.stop_ids = frozenset(i for i in [self.eos_id, *extra] if isinstance(i, int))
        self.chat_template = _template(model_dir, cfg)

    def _wants_bos(self, flag) -> bool:
        """tokenizer_config's add_bos_token; absent, whatever the tokenizer's post-processor does."""
        if self.bos_id is None:
            return False
        if flag is not None:
            return bool(flag)
        probe = self.tok.encode("a", add_special_tokens=True).ids
        return bool(probe) and probe[0] == self.bos_id

    def encode(self, text: str, add_bos: bool | None = None) -> list[int]:
        """Raw text to ids; special-token text (e.g. "<｜User｜>") maps to its single id."""
        ids = self.tok.encode(text, add_special_tokens=False).ids
        if (self.add_bos if add_bos is None else add_bos) and self.bos_id is not None:
            ids = [self.bos_id, *ids]
        return ids

    def decode(self, ids: list[int]) -> str:
        return self.tok.decode(ids, skip_special_tokens=True)
