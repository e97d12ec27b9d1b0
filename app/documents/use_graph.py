"""USE's per-token layers for one micro-batch, run by onnxruntime with the second convolution's
weights in int8: what app.documents.use_forward otherwise computes op by op in numpy. One
session.run per micro-batch, in C++ without Python's lock, so two threads embed on two cores
(numpy's op-by-op pass holds the lock between ops: two threads measured 1.25x one), and the
second convolution runs onnxruntime's u8 x s8 kernels (DynamicQuantizeMatMul, 2.8-3.1x numpy's
float32 GEMM on these shapes; the input is quantized per call by the operator, the weights per
column here, so a vector differs from the float one by a cosine of ~1e-4: its own model name).

Per branch b (n-gram order o) and micro-batch of n tokens, the graph computes
    h    = relu(sum_j first[b][j][slot_j] + b1) + inputs[b][tokens]      (first convolution)
    conv = relu(window(h) @ w2 + b2) + h                                     (second convolution)
where first[b][j] holds each distinct id's product with slot j's weights (made per call by
use_forward), slot_j the row of the id in slot j of each token's window (the zero row outside
its text), and window(h) each token's o neighbours' h side by side (a zero row outside).
"""
from __future__ import annotations

import numpy as np

from app.documents import onnx_writer as ox
from app.documents.use_forward import ORDERS, WIDTH


class UseTokenGraph:
    def __init__(self, first_bias: list[np.ndarray], second: list[np.ndarray], second_bias: list[np.ndarray]) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # the caller's threads are the parallelism
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(_model(first_bias, second, second_bias), options,
                                                     providers=["CPUExecutionProvider"])

    def run(self, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        """feeds: tokens (n,); per branch b: inputs{b} (ids, 256), window{b} (n, o); per slot j:
        first{b}_{j} (ids + 1, 256), slot{b}_{j} (n,). Returns conv0, conv1, conv2, each (n, 256)."""
        return self._session.run(None, feeds)


def quantized(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per column, and each column's scale."""
    scale = np.abs(weights).max(axis=0) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    return np.clip(np.rint(weights / scale), -127, 127).astype(np.int8), scale


def _model(first_bias, second, second_bias) -> bytes:
    nodes, constants = [], [ox.tensor("one_zero_row", np.array([0, 0, 1, 0], dtype=np.int64))]  # Pad: a row after
    inputs, outputs = [ox.value("tokens", ox.INT64, ("n",))], []
    for b, (order, _) in enumerate(ORDERS):
        for j in range(order):
            inputs += [ox.value(f"first{b}_{j}", ox.FLOAT, ("ids_and_outside", WIDTH)),
                       ox.value(f"slot{b}_{j}", ox.INT64, ("n",))]
            nodes.append(ox.node("Gather", [f"first{b}_{j}", f"slot{b}_{j}"], f"part{b}_{j}"))
        inputs += [ox.value(f"inputs{b}", ox.FLOAT, ("ids", WIDTH)), ox.value(f"window{b}", ox.INT64, ("n", order))]
        w2, scale = quantized(np.asarray(second[b], dtype=np.float32))
        constants += [ox.tensor(f"b1_{b}", np.asarray(first_bias[b], dtype=np.float32)),
                      ox.tensor(f"w2_{b}", w2), ox.tensor(f"scale{b}", scale),
                      ox.tensor(f"zero{b}", np.zeros(WIDTH, dtype=np.int8)),
                      ox.tensor(f"b2_{b}", np.asarray(second_bias[b], dtype=np.float32)),
                      ox.tensor(f"flat{b}_shape", np.array([-1, order * WIDTH], dtype=np.int64))]
        nodes += [
            ox.node("Sum", [f"part{b}_{j}" for j in range(order)], f"first_sum{b}"),
            ox.node("Add", [f"first_sum{b}", f"b1_{b}"], f"first_pre{b}"),
            ox.node("Relu", [f"first_pre{b}"], f"first_act{b}"),
            ox.node("Gather", [f"inputs{b}", "tokens"], f"input{b}"),
            ox.node("Add", [f"first_act{b}", f"input{b}"], f"h{b}"),
            ox.node("Pad", [f"h{b}", "one_zero_row"], f"h_outside{b}"),
            ox.node("Gather", [f"h_outside{b}", f"window{b}"], f"windows{b}"),
            ox.node("Reshape", [f"windows{b}", f"flat{b}_shape"], f"flat{b}"),
            ox.node("DynamicQuantizeMatMul", [f"flat{b}", f"w2_{b}", f"scale{b}", f"zero{b}", f"b2_{b}"],
                    f"second_pre{b}", domain="com.microsoft"),
            ox.node("Relu", [f"second_pre{b}"], f"second_act{b}"),
            ox.node("Add", [f"second_act{b}", f"h{b}"], f"conv{b}"),
        ]
        outputs.append(ox.value(f"conv{b}", ox.FLOAT, ("n", WIDTH)))
    return ox.model(ox.graph("use_tokens", nodes, constants, inputs, outputs))
