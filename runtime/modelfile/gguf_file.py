"""A small GGUF header reader: metadata and the tensor table, never the tensor data.

gguf.GGUFReader builds numpy views of every token string (1.8 s for a 49k vocab here); this
reader skips big arrays, keeping only their length, and checks that every tensor's bytes are
really in the file, so a truncated download is caught before llama.cpp reads past its end.
"""
from __future__ import annotations

import mmap
import os
import re
import struct
from dataclasses import dataclass
from typing import Any

from gguf import GGML_QUANT_SIZES, GGMLQuantizationType

from runtime.types import ModelFileError

MAGIC = b"GGUF"
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
            10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
KEEP_ARRAY_ITEMS = 1024  # per-layer arrays are kept; token lists only by length
_SHARD = re.compile(r"^(?P<stem>.*)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$")


@dataclass(frozen=True)
class GgufTensor:
    name: str
    type_name: str
    shape: tuple[int, ...]
    n_elements: int
    n_bytes: int


@dataclass(frozen=True)
class GgufContents:
    metadata: dict[str, Any]  # big arrays become ArrayLength
    tensors: tuple[GgufTensor, ...]
    files: tuple[str, ...]  # every shard, first first
    file_bytes: int


@dataclass(frozen=True)
class ArrayLength:
    length: int


def read_gguf(path: str) -> GgufContents:
    """Read a GGUF file, or all shards of a split GGUF given any one of them."""
    files = shard_paths(path)
    metadata: dict[str, Any] = {}
    tensors: list[GgufTensor] = []
    for i, shard in enumerate(files):
        meta, shard_tensors = _read_one(shard)
        if i == 0:
            metadata = meta
        tensors.extend(shard_tensors)
    return GgufContents(metadata, tuple(tensors), tuple(files),
                        sum(os.path.getsize(f) for f in files))


def shard_paths(path: str) -> list[str]:
    m = _SHARD.match(os.path.basename(path))
    if not m:
        return [path]
    count, folder = int(m["count"]), os.path.dirname(path)
    files = [os.path.join(folder, f"{m['stem']}-{i:05d}-of-{count:05d}.gguf") for i in range(1, count + 1)]
    for f in files:
        if not os.path.isfile(f):
            raise ModelFileError(f"Shard {os.path.basename(f)} of {count} is missing next to "
                                 f"{os.path.basename(path)}; download every part of the model.")
    return files


def _read_one(path: str) -> tuple[dict[str, Any], list[GgufTensor]]:
    name = os.path.basename(path)
    size = os.path.getsize(path)
    if size < 24:
        raise ModelFileError(f"{name} is too short to be a GGUF model file ({size} bytes).")
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        if mm[:4] != MAGIC:
            raise ModelFileError(f"{name} is not a GGUF model file: it does not begin with 'GGUF'.")
        try:
            return _parse(mm, name, size)
        except (struct.error, IndexError, UnicodeDecodeError, ValueError, OverflowError):
            raise ModelFileError(f"{name} is truncated or corrupt: its GGUF header ends early or "
                                 "holds impossible values. Download it again.") from None


def _parse(mm: mmap.mmap, name: str, size: int) -> tuple[dict[str, Any], list[GgufTensor]]:
    version = struct.unpack_from("<I", mm, 4)[0]
    if version not in (2, 3):
        raise ModelFileError(f"{name} is GGUF version {version}; only versions 2 and 3 are supported "
                             "(a big-endian or very old file?).")
    n_tensors, n_kv = struct.unpack_from("<QQ", mm, 8)
    if n_tensors > 1_000_000 or n_kv > 1_000_000:
        raise ValueError("impossible tensor or key count")
    off = 24
    meta: dict[str, Any] = {}
    for _ in range(n_kv):
        key, off = _string(mm, off)
        vtype = struct.unpack_from("<I", mm, off)[0]
        meta[key], off = _value(mm, off + 4, vtype)
    infos = []
    for _ in range(n_tensors):
        tname, off = _string(mm, off)
        n_dims = struct.unpack_from("<I", mm, off)[0]
        if n_dims > 8:
            raise ValueError(f"tensor {tname} has {n_dims} dimensions")
        shape = struct.unpack_from(f"<{n_dims}Q", mm, off + 4)
        ttype, t_off = struct.unpack_from("<IQ", mm, off + 4 + 8 * n_dims)
        off += 4 + 8 * n_dims + 12
        infos.append((tname, shape, ttype, t_off))
    align = int(meta.get("general.alignment", 32))
    data_start = (off + align - 1) // align * align
    tensors = []
    for tname, shape, ttype, t_off in infos:
        tensor = _tensor(name, tname, shape, ttype)
        if data_start + t_off + tensor.n_bytes > size:
            raise ModelFileError(f"{name} is truncated: tensor {tname} ends past the end of the file "
                                 f"({size} bytes). Download it again.")
        tensors.append(tensor)
    return meta, tensors


def _tensor(name: str, tname: str, shape: tuple[int, ...], ttype: int) -> GgufTensor:
    try:
        qtype = GGMLQuantizationType(ttype)
        block, type_size = GGML_QUANT_SIZES[qtype]
    except (ValueError, KeyError):
        raise ModelFileError(f"{name}: tensor {tname} has an unknown type {ttype} "
                             "(a newer quantization than this DeskSeek knows?).") from None
    n = 1
    for d in shape:
        n *= d
    return GgufTensor(tname, qtype.name, tuple(shape), n, n // block * type_size)


def _string(mm: mmap.mmap, off: int) -> tuple[str, int]:
    n = struct.unpack_from("<Q", mm, off)[0]
    end = off + 8 + n
    if end > len(mm):
        raise ValueError("a string runs past the end of the file")
    return bytes(mm[off + 8:end]).decode("utf-8"), end


def _value(mm: mmap.mmap, off: int, vtype: int) -> tuple[Any, int]:
    if vtype in _SCALARS:
        fmt = _SCALARS[vtype]
        return struct.unpack_from(fmt, mm, off)[0], off + struct.calcsize(fmt)
    if vtype == _STRING:
        return _string(mm, off)
    if vtype == _ARRAY:
        itype, count = struct.unpack_from("<IQ", mm, off)
        off += 12
        if itype in _SCALARS:
            width = struct.calcsize(_SCALARS[itype])
            if off + width * count > len(mm):
                raise ValueError("an array runs past the end of the file")
            if count > KEEP_ARRAY_ITEMS:
                return ArrayLength(count), off + width * count
            return list(struct.unpack_from(f"<{count}{_SCALARS[itype][1]}", mm, off)), off + width * count
        if itype == _STRING:
            items = []
            for _ in range(count):
                s_len = struct.unpack_from("<Q", mm, off)[0]
                if count <= KEEP_ARRAY_ITEMS:
                    items.append(bytes(mm[off + 8:off + 8 + s_len]).decode("utf-8", "replace"))
                off += 8 + s_len
            if off > len(mm):
                raise ValueError("a string array runs past the end of the file")
            return (items if count <= KEEP_ARRAY_ITEMS else ArrayLength(count)), off
        raise ValueError(f"unsupported array item type {itype}")
    raise ValueError(f"unknown metadata value type {vtype}")
