"""`OWNER/REPO[/PATH.gguf | :QUANT]`: which model of a repository a pull means.

With a path, that file (all shards if it is one of a split model). With `:QUANT`, the one model
of that quantization (case does not matter; `Q2_K_XL` also finds `UD-Q2_K_XL`). With the
repository alone, the recommended model (see `recommend`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.models.download_errors import DownloadError, NotFoundError
from app.models.gguf_names import GgufModel

_REPO_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# When nothing better is known: the quantization most GGUF users pick first (good quality at about
# 4.8 bits per weight), then the nearest in size and quality. See `recommend`.
QUANT_PREFERENCE = ("Q4_K_M", "Q4_K_S", "IQ4_XS", "Q4_0", "Q5_K_M", "Q5_K_S", "IQ4_NL", "Q4_1", "Q3_K_L",
                    "Q3_K_M", "Q6_K", "Q5_0", "Q8_0", "IQ3_M", "Q3_K_S", "IQ3_XS", "Q2_K", "BF16", "F16")


@dataclass(frozen=True)
class PullSpec:
    repo: str
    path: str | None = None
    quant: str | None = None

    def __str__(self) -> str:
        return self.repo + (f"/{self.path}" if self.path else f":{self.quant}" if self.quant else "")


def parse_spec(text: str) -> PullSpec:
    """Parse the command line's model argument; a sentence saying the shape when it is wrong."""
    text = text.strip()
    for prefix in ("hf://", "https://huggingface.co/"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    quant = None
    if ":" in text:
        text, quant = text.rsplit(":", 1)
        if not quant:
            raise DownloadError(f"Nothing after ':' in {text}: — give a quantization such as :Q4_K_M.")
    parts = text.split("/")
    if len(parts) < 2 or not all(_REPO_PART.match(p) for p in parts[:2]):
        raise DownloadError(f"{text!r} is not a model on the Hub: write OWNER/REPO, OWNER/REPO:QUANT "
                            "or OWNER/REPO/FILE.gguf (e.g. bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF:Q4_K_M).")
    repo, path = "/".join(parts[:2]), "/".join(parts[2:]) or None
    if path and quant:
        raise DownloadError("Give either a file (OWNER/REPO/FILE.gguf) or a quantization (:QUANT), not both.")
    return PullSpec(repo=repo, path=path, quant=quant)


def choose(spec: PullSpec, models: list[GgufModel], recommended: str | None = None) -> GgufModel:
    """The model `spec` means among a repository's GGUF models (`recommended`: a first path, if known)."""
    if not models:
        raise NotFoundError(f"{spec.repo} has no GGUF model files.")
    if spec.quant:
        return by_quant(spec, models)
    if recommended:
        for model in models:
            if model.path == recommended:
                return model
    return recommend(models)


def by_quant(spec: PullSpec, models: list[GgufModel]) -> GgufModel:
    wanted = spec.quant.upper()
    found = [m for m in models if m.quant == wanted]
    if not found:
        found = [m for m in models if m.quant and m.quant.removeprefix("UD-") == wanted.removeprefix("UD-")]
    if len(found) == 1:
        return found[0]
    if found:
        raise DownloadError(f"{spec.repo} has {len(found)} models in {wanted}: " + ", ".join(m.path for m in found)
                            + f". Name one: deskseek pull {spec.repo}/{found[0].path}")
    raise NotFoundError(f"{spec.repo} has no {wanted} model. It has: {available(models)}.")


def recommend(models: list[GgufModel]) -> GgufModel:
    """The fallback rule when the planner's verdicts are not known: the first quantization in
    QUANT_PREFERENCE that the repository has (Q4_K_M when present); a repository whose names
    say no quantization gives its first model."""
    for quant in QUANT_PREFERENCE:
        for model in models:
            if model.quant and model.quant.removeprefix("UD-") == quant:
                return model
    return models[0]


def available(models: list[GgufModel]) -> str:
    return ", ".join(sorted({m.quant or m.path for m in models}))
