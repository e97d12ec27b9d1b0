"""A small GGUF header reader: metadata and the tensor table, never the tensor data.

It reads from any ByteSource: a local file (FileSource), or anything else that can return the
bytes at an offset — app.models reads a remote GGUF's header through HTTP Range requests with
it, so a model on the Hub is described by the same parser as one on disk. The header is read
front to back through a cursor that fetches blocks of growing size (64 KiB, doubling; a long
string array such as the token list in one read sized from its first items), so a remote header
costs a few requests and little more than its own size (6.2 MB for DeepSeek-V3's 5.2 MB).

gguf.GGUFReader builds numpy views of every token string (1.8 s for a 49k vocab here); this
reader skips big arrays, keeping only their length, and checks that every tensor's bytes are
really in the file, so a truncated download is caught before llama.cpp reads past its end.
"""
from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from gguf import GGML_QUANT_SIZES, GGMLQuantizationType

from runtime.types import ModelFileError

MAGIC = b"GGUF"
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
            10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_U64 = struct.Struct("<Q")
KEEP_ARRAY_ITEMS = 1024  # per-layer arrays are kept; token lists only by length
FIRST_BLOCK = 64 * 1024  # the cursor's first read; each further read doubles, up to MAX_BLOCK
MAX_BLOCK = 8 * 1024 * 1024
_SHARD = re.compile(r"^(?P<stem>.*)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$")


class ByteSource(Protocol):
    """Where a GGUF's bytes come from: a name for messages, a size, and reads at an offset."""

    name: str
    size: int

    def read(self, offset: int, n: int) -> bytes:
        """Up to n bytes at offset (fewer only at the end of the file)."""
        ...


class FileSource:
    def __init__(self, path: str) -> None:
        self.path, self.name, self.size = path, os.path.basename(path), os.path.getsize(path)
        self._f = open(path, "rb")

    def read(self, offset: int, n: int) -> bytes:
        return os.pread(self._f.fileno(), n, offset)

    def close(self) -> None:
        self._f.close()


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
    sources = [FileSource(f) for f in shard_paths(path)]
    try:
        return read_gguf_sources(sources, [s.path for s in sources])
    finally:
        for src in sources:
            src.close()


def read_gguf_sources(sources: Sequence[ByteSource], names: Sequence[str] | None = None) -> GgufContents:
    """The headers of one model's shards (one source for a single file), first shard first."""
    metadata: dict[str, Any] = {}
    tensors: list[GgufTensor] = []
    for i, src in enumerate(sources):
        meta, shard_tensors = read_header(src)
        if i == 0:
            metadata = meta
        tensors.extend(shard_tensors)
    return GgufContents(metadata, tuple(tensors), tuple(names or [s.name for s in sources]),
                        sum(s.size for s in sources))


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


def read_header(src: ByteSource) -> tuple[dict[str, Any], list[GgufTensor]]:
    """One file's metadata and tensor table, checked against its size."""
    if src.size < 24:
        raise ModelFileError(f"{src.name} is too short to be a GGUF model file ({src.size} bytes).")
    cur = _Cursor(src)
    try:
        if cur.raw(4) != MAGIC:
            raise ModelFileError(f"{src.name} is not a GGUF model file: it does not begin with 'GGUF'.")
        return _parse(cur, src.name, src.size)
    except (struct.error, IndexError, UnicodeDecodeError, ValueError, OverflowError):
        raise ModelFileError(f"{src.name} is truncated or corrupt: its GGUF header ends early or "
                             "holds impossible values. Download it again.") from None


def header_size(src: ByteSource) -> int:
    """Where the tensor data begins: the header's own length, alignment padding included."""
    cur = _Cursor(src)
    cur.raw(4)
    meta, _ = _parse(cur, src.name, src.size)
    align = int(meta.get("general.alignment", 32))
    return (cur.pos + align - 1) // align * align


class _Cursor:
    """Reads a source front to back in growing blocks; `pos` is the offset in the file."""

    def __init__(self, src: ByteSource) -> None:
        self.src, self.pos, self.base, self.buf, self.block = src, 0, 0, b"", FIRST_BLOCK

    def _need(self, n: int, expect: int = 0) -> None:
        """Make n bytes at pos readable; `expect`: how many more the caller foresees (one read)."""
        if self.pos + n <= self.base + len(self.buf):
            return
        if self.pos + n > self.src.size:
            raise ValueError("the header runs past the end of the file")
        keep = self.buf[self.pos - self.base:]
        want = max(n - len(keep), self.block, min(expect, MAX_BLOCK))
        more = self.src.read(self.base + len(self.buf), min(want, self.src.size - self.base - len(self.buf)))
        self.block = min(self.block * 2, MAX_BLOCK)
        self.base, self.buf = self.pos, keep + more
        if len(self.buf) < n:
            raise ValueError("the source returned fewer bytes than its size promises")

    def unpack(self, fmt: str, width: int) -> tuple:
        self._need(width)
        out = struct.unpack_from(fmt, self.buf, self.pos - self.base)
        self.pos += width
        return out

    def raw(self, n: int) -> bytes:
        self._need(n)
        out = self.buf[self.pos - self.base:self.pos - self.base + n]
        self.pos += n
        return out

    def skip(self, n: int) -> None:
        if self.pos + n > self.src.size:
            raise ValueError("the header runs past the end of the file")
        if self.pos + n <= self.base + len(self.buf):
            self.pos += n
        else:  # beyond what is buffered: no need to fetch what is skipped
            self.pos += n
            self.base, self.buf = self.pos, b""

    def string(self) -> str:
        (n,) = self.unpack("<Q", 8)
        return self.raw(n).decode("utf-8")

    def strings(self, count: int, keep: bool) -> list[str]:
        """An array of strings (kept, or only walked over): the token lists, so kept tight."""
        items: list[str] = []
        unpack = _U64.unpack_from
        pos, base, buf = self.pos, self.base, self.buf
        start, end = pos, base + len(buf)
        for i in range(count):
            if pos + 8 > end:
                self.pos = pos  # the rest of the array, judged by its items so far: one read
                self._need(8, (pos - start) * (count - i) // max(1, i) + 4096)
                base, buf = self.base, self.buf
                end = base + len(buf)
            (n,) = unpack(buf, pos - base)
            if pos + 8 + n > end:
                self.pos = pos
                self._need(8 + n, (pos - start) * (count - i) // max(1, i) + 4096)
                base, buf = self.base, self.buf
                end = base + len(buf)
            if keep:
                items.append(buf[pos - base + 8:pos - base + 8 + n].decode("utf-8", "replace"))
            pos += 8 + n
        self.pos = pos
        return items


def _parse(cur: _Cursor, name: str, size: int) -> tuple[dict[str, Any], list[GgufTensor]]:
    (version,) = cur.unpack("<I", 4)
    if version not in (2, 3):
        raise ModelFileError(f"{name} is GGUF version {version}; only versions 2 and 3 are supported "
                             "(a big-endian or very old file?).")
    n_tensors, n_kv = cur.unpack("<QQ", 16)
    if n_tensors > 1_000_000 or n_kv > 1_000_000:
        raise ValueError("impossible tensor or key count")
    meta: dict[str, Any] = {}
    for _ in range(n_kv):
        key = cur.string()
        (vtype,) = cur.unpack("<I", 4)
        meta[key] = _value(cur, vtype)
    infos = []
    for _ in range(n_tensors):
        tname = cur.string()
        (n_dims,) = cur.unpack("<I", 4)
        if n_dims > 8:
            raise ValueError(f"tensor {tname} has {n_dims} dimensions")
        shape = cur.unpack(f"<{n_dims}Q", 8 * n_dims)
        ttype, t_off = cur.unpack("<IQ", 12)
        infos.append((tname, shape, ttype, t_off))
    align = int(meta.get("general.alignment", 32))
    data_start = (cur.pos + align - 1) // align * align
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


def _value(cur: _Cursor, vtype: int) -> Any:
    if vtype in _SCALARS:
        fmt = _SCALARS[vtype]
        return cur.unpack(fmt, struct.calcsize(fmt))[0]
    if vtype == _STRING:
        return cur.string()
    if vtype == _ARRAY:
        itype, count = cur.unpack("<IQ", 12)
        if itype in _SCALARS:
            width = struct.calcsize(_SCALARS[itype])
            if count > KEEP_ARRAY_ITEMS:
                cur.skip(width * count)
                return ArrayLength(count)
            return list(cur.unpack(f"<{count}{_SCALARS[itype][1]}", width * count))
        if itype == _STRING:
            items = cur.strings(count, keep=count <= KEEP_ARRAY_ITEMS)
            return items if count <= KEEP_ARRAY_ITEMS else ArrayLength(count)
        raise ValueError(f"unsupported array item type {itype}")
    raise ValueError(f"unknown metadata value type {vtype}")
