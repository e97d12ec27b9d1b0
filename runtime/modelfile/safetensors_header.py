"""The one safetensors header reader: 8 bytes of length, then JSON naming each tensor's dtype,
shape and byte range. Qt-free and torch-free, so inspection (runtime.modelfile) and the torch
engine's loader (runtime.backends.torch_moe.st_reader) read headers the same way."""
from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass
from math import prod

from runtime.types import ModelFileError

MAX_HEADER_BYTES = 100_000_000  # the format's own bound on the JSON header


@dataclass(frozen=True)
class SafetensorsTensor:
    name: str
    dtype: str  # "BF16", "F32", "F8_E4M3"...
    shape: tuple[int, ...]
    begin: int  # absolute offsets of its bytes in the file
    end: int

    @property
    def n_elements(self) -> int:
        return prod(self.shape)

    @property
    def n_bytes(self) -> int:
        return self.end - self.begin


def read_safetensors_header(path: str | os.PathLike) -> list[SafetensorsTensor]:
    """Every tensor of one .safetensors file, in header order; a file cut short or with a bad
    header is a ModelFileError naming it."""
    name, size = os.path.basename(path), os.path.getsize(path)
    try:
        with open(path, "rb") as f:
            (n,) = struct.unpack("<Q", f.read(8))
            if n > min(size - 8, MAX_HEADER_BYTES):
                raise ValueError("header length beyond the file")
            header = json.loads(f.read(n))
        if not isinstance(header, dict):
            raise ValueError("the header is not a JSON object")
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{name} is not a readable safetensors file ({exc}).") from None
    base, out, end = 8 + n, [], 0
    for tname, info in header.items():
        if tname == "__metadata__":
            continue
        try:
            begin, stop = (int(x) for x in info["data_offsets"])
            shape = tuple(int(d) for d in info["shape"])
            dtype = str(info["dtype"])
        except (KeyError, TypeError, ValueError):
            raise ModelFileError(f"{name} is corrupt: tensor {tname} has no valid shape or offsets.") from None
        end = max(end, stop)
        out.append(SafetensorsTensor(tname, dtype, shape, base + begin, base + stop))
    if base + end > size:
        raise ModelFileError(f"{name} is truncated: its header promises {base + end} bytes but the "
                             f"file has {size}. Download it again.")
    return out
