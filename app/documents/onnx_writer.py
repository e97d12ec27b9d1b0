"""The few ONNX messages DeskSeek hands to onnxruntime, written in protobuf's wire format (field
numbers from onnx/onnx.proto): a graph of nodes without attributes, float/int8/int64 tensors,
inputs and outputs with named or fixed dimensions. onnxruntime is a dependency already (for OCR);
the `onnx` package, which would write these for us, is not needed for so little.
"""
from __future__ import annotations

import numpy as np

FLOAT, INT8, INT64 = 1, 3, 7  # TensorProto.DataType
_TYPES = {np.dtype(np.float32): FLOAT, np.dtype(np.int8): INT8, np.dtype(np.int64): INT64}
IR_VERSION = 8
OPSETS = (("", 17), ("com.microsoft", 1))


def model(graph: bytes) -> bytes:
    """ModelProto: ir_version 1, graph 7, opset_import 8 (domain 1, version 2)."""
    out = _varint_field(1, IR_VERSION) + _bytes(7, graph)
    for domain, version in OPSETS:
        out += _bytes(8, _string(1, domain) + _varint_field(2, version))
    return out


def graph(name: str, nodes: list[bytes], initializers: list[bytes], inputs: list[bytes], outputs: list[bytes]) -> bytes:
    """GraphProto: node 1, name 2, initializer 5, input 11, output 12."""
    return (b"".join(_bytes(1, n) for n in nodes) + _string(2, name) + b"".join(_bytes(5, t) for t in initializers)
            + b"".join(_bytes(11, v) for v in inputs) + b"".join(_bytes(12, v) for v in outputs))


def node(op: str, inputs: list[str], output: str, domain: str = "") -> bytes:
    """NodeProto: input 1, output 2, op_type 4, domain 7."""
    return (b"".join(_string(1, i) for i in inputs) + _string(2, output) + _string(4, op)
            + (_string(7, domain) if domain else b""))


def tensor(name: str, array: np.ndarray) -> bytes:
    """TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian)."""
    array = np.ascontiguousarray(array)
    kind = _TYPES[array.dtype]
    return (b"".join(_varint_field(1, d) for d in array.shape) + _varint_field(2, kind) + _string(8, name)
            + _bytes(9, array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()))


def value(name: str, kind: int, dims: tuple) -> bytes:
    """ValueInfoProto (name 1, type 2) of a tensor: TypeProto.tensor_type 1 = (elem_type 1, shape 2),
    each TensorShapeProto.dim 1 a dim_value 1 (a number) or dim_param 2 (a name)."""
    shape = b"".join(_bytes(1, _string(2, d) if isinstance(d, str) else _varint_field(1, d)) for d in dims)
    return _string(1, name) + _bytes(2, _bytes(1, _varint_field(1, kind) + _bytes(2, shape)))


def _varint(n: int) -> bytes:
    if n < 0:  # int64 fields take ten bytes for a negative number (two's complement)
        n += 1 << 64
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _varint_field(field: int, n: int) -> bytes:
    return _varint(field << 3) + _varint(n)


def _bytes(field: int, data: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def _string(field: int, text: str) -> bytes:
    return _bytes(field, text.encode("utf-8"))
