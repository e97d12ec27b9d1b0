"""GET the rest of a file: `Range: bytes=<have>-` from wherever the bytes are.

Redirects are followed by hand so that the Hub token is sent only to the Hub's own host (the
CDN a download is redirected to never sees it). Proxies from the environment are honoured, as
urllib does.
"""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import urljoin

from app.models.remote_file import TIMEOUT_S, USER_AGENT, no_redirect_opener, auth_headers, unreachable

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


class RangeRefused(Exception):
    """An answer that is not the bytes asked for (an expired CDN link, a 5xx): retried, then told."""


def open_range(url: str, start: int, token: str | None, endpoint: str):
    """(response, offset of its first byte): 206 from `start`, or 200 from 0 when Range is ignored."""
    for _ in range(6):
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                   **auth_headers(token, url, endpoint)}
        if start:
            headers["Range"] = f"bytes={start}-"
        request = urllib.request.Request(url, headers=headers)
        try:
            response = no_redirect_opener.open(request, timeout=TIMEOUT_S)
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location")
            exc.close()
            if 300 <= exc.code < 400 and location:
                url = urljoin(url, location)
                continue
            raise RangeRefused(f"HTTP {exc.code} from {url.split('?')[0]}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise unreachable(url, exc) from None
        if response.status == 206:
            match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
            if not match or int(match.group(1)) != start:
                response.close()
                raise RangeRefused(f"an unexpected Content-Range from {url.split('?')[0]}")
            return response, start
        return response, 0  # 200: the whole file again
    raise RangeRefused(f"too many redirects from {url.split('?')[0]}")
