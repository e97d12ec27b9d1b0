"""A minimal safetensors reader that reads each tensor straight into its destination.

No mmap: file pages read here live in the page cache, not in our RSS, so loading peaks at about
the size of the weights plus one tensor (safetensors' mmap keeps touched shards resident).
"""
from __future__ import annotations

from pathlib import Path

import torch

from runtime.modelfile.safetensors_header import SafetensorsTensor, read_safetensors_header
from runtime.types import ModelFileError

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def read_header(path: Path) -> dict[str, SafetensorsTensor]:
    """Tensor name -> its dtype, shape and absolute byte range (the shared header reader)."""
    try:
        return {t.name: t for t in read_safetensors_header(path)}
    except OSError as e:
        raise ModelFileError(f"{Path(path).name} is not a readable safetensors file: {e}") from e


def read_into(f, name: str, entry: SafetensorsTensor, dest: torch.Tensor) -> None:
    """Copy tensor `name` from open file `f` into `dest`, converting the dtype if needed."""
    if entry.dtype not in DTYPES:
        raise ModelFileError(
            f"Tensor {name} is stored as {entry.dtype}; the torch engine reads F32, F16 and BF16."
        )
    if tuple(dest.shape) != entry.shape:
        raise ModelFileError(
            f"Tensor {name} has shape {list(entry.shape)} but config.json implies {list(dest.shape)}."
        )
    src_dtype = DTYPES[entry.dtype]
    f.seek(entry.begin)
    direct = dest.device.type == "cpu" and dest.dtype == src_dtype and dest.is_contiguous()
    buf = dest if direct else torch.empty(entry.shape, dtype=src_dtype)
    view = buf.view(-1).view(torch.uint8).numpy() if buf.numel() else None
    if view is not None and f.readinto(view) != entry.end - entry.begin:
        raise ModelFileError(f"Tensor {name} is truncated in {Path(f.name).name}.")
    if not direct:
        dest.copy_(buf)
