"""What a GGUF file's name says: its quantization and, for a split model, its shards.

A split GGUF is `<stem>-00001-of-00009.gguf` … `<stem>-00009-of-00009.gguf` (llama.cpp's
gguf-split naming); it is one model, named by its first shard.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_SHARD = re.compile(r"^(?P<stem>.+)-(?P<index>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)
# Q4_K_M, IQ2_XXS, Q8_0, TQ1_0, UD-Q2_K_XL, BF16, F16, MXFP4_MOE … between separators.
_QUANT = re.compile(r"(?:^|(?<=[-._/]))((?:UD-)?(?:IQ|TQ|Q)\d+(?:_[A-Z0-9]+)*|BF16|FP16|F16|FP32|F32|MXFP4(?:_MOE)?)"
                    r"(?=$|[-._/])", re.IGNORECASE)


@dataclass(frozen=True)
class GgufModel:
    """One model in a repository: a single GGUF file, or all shards of a split one."""

    files: tuple[str, ...]  # repository paths, the first shard first
    quant: str | None

    @property
    def path(self) -> str:
        return self.files[0]


def quant_of(path: str) -> str | None:
    """`…-Q4_K_M.gguf` -> "Q4_K_M" (upper case); None when the name does not say."""
    name = path[: -len(".gguf")] if path.lower().endswith(".gguf") else path
    shard = _SHARD.match(path)
    if shard:
        name = shard.group("stem")
    found = _QUANT.findall(name.rsplit("/", 1)[-1]) or _QUANT.findall(name)  # the file name, else its folder
    return found[-1].upper() if found else None


def shard_names(path: str) -> tuple[str, ...]:
    """Every shard of the split model `path` belongs to (any shard works), or just (path,)."""
    m = _SHARD.match(path)
    if not m:
        return (path,)
    count = int(m.group("count"))
    width = len(m.group("index"))
    return tuple(f"{m.group('stem')}-{i:0{width}d}-of-{m.group('count')}.gguf" for i in range(1, count + 1))


def group_models(paths: list[str]) -> list[GgufModel]:
    """The GGUF models among a repository's files; a split model's shards become one entry.

    A split model whose shards are not all listed is left out: it could not be downloaded whole.
    """
    present = set(paths)
    models: dict[tuple[str, ...], GgufModel] = {}
    for path in sorted(paths):
        if not path.lower().endswith(".gguf"):
            continue
        files = shard_names(path)
        if files[0] in models.keys() or not all(f in present for f in files):
            continue
        models.setdefault(files, GgufModel(files=files, quant=quant_of(path)))
    return list(models.values())
