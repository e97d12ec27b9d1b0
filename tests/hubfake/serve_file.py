"""Serving one file's bytes over HTTP/1.1 with Range, as S3/CloudFront (the Hub's CDN) do.

`Range: bytes=a-b`, `bytes=a-` and `bytes=-n` get 206 with Content-Range; a start at or past the
end gets 416 with `Content-Range: bytes */SIZE`; anything else (no Range, a multi-range, bad
syntax) gets the whole file with 200. The fast path is sendfile(); faults (a cut, a corrupted
byte, a throttle) switch to a chunked loop so they can act mid-stream.
"""
from __future__ import annotations

import os
import re
import socket
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.hubfake.faults import Faults, RequestRecord

CHUNK = 1 << 20
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """(start, end inclusive), "unsatisfiable", or None for the whole file."""
    if not header:
        return None
    m = _RANGE.match(header.strip())
    if not m or (not m[1] and not m[2]):
        return None
    if not m[1]:  # the last n bytes
        n = int(m[2])
        if n == 0:
            return "unsatisfiable"
        return max(0, size - n), size - 1
    start = int(m[1])
    end = min(int(m[2]), size - 1) if m[2] else size - 1
    if start >= size or (m[2] and int(m[2]) < start):
        return "unsatisfiable"
    return start, end


def send_file(h: BaseHTTPRequestHandler, source: Path, headers: dict[str, str], faults: Faults,
              record: RequestRecord, head_only: bool) -> None:
    size = os.path.getsize(source)
    rng = parse_range(h.headers.get("Range"), size)
    if rng == "unsatisfiable":
        record.status = 416
        h.send_response(416)
        h.send_header("Content-Range", f"bytes */{size}")
        h.send_header("Content-Length", "0")
        h.end_headers()
        return
    start, end = rng if rng else (0, size - 1)
    length = max(0, end - start + 1)
    record.status = 206 if rng else 200
    h.send_response(record.status)
    for k, v in headers.items():
        h.send_header(k, v)
    h.send_header("Accept-Ranges", "bytes")
    h.send_header("Content-Type", "application/octet-stream")
    h.send_header("Content-Length", str(length))
    if rng:
        h.send_header("Content-Range", f"bytes {start}-{end}/{size}")
    h.end_headers()
    if head_only or not length:
        return
    h.wfile.flush()
    cut = faults.take_cut(h.path)
    flips = faults.corrupt_offsets(h.path, start, start + length)
    rate = faults.throttle_bytes_per_s
    with open(source, "rb") as f:
        if cut is None and not flips and not rate:
            try:
                record.bytes_sent = h.connection.sendfile(f, start, length)
            except OSError:  # the client went away
                h.close_connection = True
            return
        _send_loop(h, f, start, length, cut, flips, rate, record)


def _send_loop(h, f, start: int, length: int, cut: int | None, flips: list[int], rate: float | None,
               record: RequestRecord) -> None:
    sent, t0 = 0, time.monotonic()
    limit = length if cut is None else min(cut, length)
    try:
        while sent < limit:
            f.seek(start + sent)
            chunk = bytearray(f.read(min(CHUNK if not rate else max(1024, int(rate) // 20), limit - sent)))
            if not chunk:
                break
            for off in flips:
                if start + sent <= off < start + sent + len(chunk):
                    chunk[off - start - sent] ^= 0xFF
            h.wfile.write(chunk)
            sent += len(chunk)
            record.bytes_sent = sent
            if rate:
                ahead = sent / rate - (time.monotonic() - t0)
                if ahead > 0:
                    time.sleep(ahead)
    except OSError:
        h.close_connection = True
        return
    if cut is not None and sent < length:  # the promised bytes never come: drop the connection
        h.close_connection = True
        try:
            h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
