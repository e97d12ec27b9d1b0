"""GET the rest of a file: `Range: bytes=<have>-` from wherever the bytes are.

Redirects are followed by hand so that the headers given (the Hub token, when the bytes come
from the Hub itself) go to the first host only: a host a redirect points at never sees them.
Proxies from the environment are honoured, as urllib does.
"""
from __future__ import annotations

import re
import socket
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

from app.models.download_errors import ConnectionLostError

TIMEOUT_S = 30
USER_AGENT = "DeskSeek/0.1 (model download)"
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


class RangeRefused(Exception):
    """An answer that is not the bytes asked for (an expired CDN link, a 5xx): retried, then told."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx response, Location and all


_opener = urllib.request.build_opener(_NoRedirect)


def open_range(url: str, start: int, headers: dict[str, str]):
    """(response, offset of its first byte): 206 from `start`, or 200 from 0 when Range is ignored."""
    extra = dict(headers)
    for _ in range(6):
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                                                       **extra, **({"Range": f"bytes={start}-"} if start else {})})
        try:
            response = _opener.open(request, timeout=TIMEOUT_S)
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location")
            exc.close()
            if 300 <= exc.code < 400 and location:
                url, extra = urljoin(url, location), {}  # the token stays with the host it was meant for
                continue
            raise RangeRefused(f"HTTP {exc.code} from {_host(url)}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise _unreachable(url, exc) from None
        if response.status == 206:
            match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
            if not match or int(match.group(1)) != start:
                response.close()
                raise RangeRefused(f"an unexpected Content-Range from {_host(url)}")
            return response, start
        return response, 0  # 200: the whole file again
    raise RangeRefused(f"too many redirects from {_host(url)}")


def _unreachable(url: str, exc: BaseException) -> ConnectionLostError:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (socket.timeout, TimeoutError)):
        why = "it did not answer in time"
    elif isinstance(reason, ConnectionRefusedError):
        why = "the connection was refused"
    else:
        why = str(reason) or type(reason).__name__
    return ConnectionLostError(f"cannot reach {_host(url)}: {why}")


def _host(url: str) -> str:
    return urlsplit(url).netloc
