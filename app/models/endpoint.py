"""Which Hub to talk to: an explicit --endpoint, else the setting, else HF_ENDPOINT, else the Hub.

huggingface_hub reads HF_ENDPOINT once, when it is first imported; DeskSeek never relies on
that: the endpoint is resolved here, at each call, and passed to every HfApi and URL explicitly,
so a changed setting or environment takes effect without a restart.
"""
from __future__ import annotations

import os
from typing import Mapping, Protocol
from urllib.parse import urlsplit

from app.models.errors import HubError

DEFAULT_ENDPOINT = "https://huggingface.co"
ENDPOINT_SETTING = "hub_endpoint"  # the store's settings table; empty or absent: not set
ENV = "HF_ENDPOINT"


class SettingsReader(Protocol):
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...


def resolve_endpoint(explicit: str | None = None, setting: str | None = None,
                     environ: Mapping[str, str] | None = None) -> str:
    """The endpoint URL to use, checked, without a trailing slash."""
    environ = os.environ if environ is None else environ
    for source, value in (("--endpoint", explicit), ("the endpoint setting", setting), (ENV, environ.get(ENV))):
        if value and value.strip():
            return check_endpoint(value, source)
    return DEFAULT_ENDPOINT


def check_endpoint(value: str, source: str = "the endpoint") -> str:
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HubError(f"{source} is {value!r}, which is not a web address: write it like "
                       f"{DEFAULT_ENDPOINT} or https://hf-mirror.com.")
    return url


def endpoint_setting(store: SettingsReader | None) -> str | None:
    return store.get_setting(ENDPOINT_SETTING) if store is not None else None


def stored_endpoint() -> str | None:
    """The endpoint setting of DeskSeek's own database, for the terminal commands (never creates
    a database; an unreadable one counts as no setting)."""
    from app.paths import app_paths

    path = app_paths().database
    if not path.exists():
        return None
    from app.store import StoreError, open_store

    try:
        store = open_store(path)
    except StoreError:
        return None
    try:
        return endpoint_setting(store)
    finally:
        store.close()


def save_endpoint_setting(store, value: str | None) -> None:
    """Remember the endpoint (checked first); None or "" goes back to HF_ENDPOINT / the Hub."""
    store.set_setting(ENDPOINT_SETTING, check_endpoint(value, "The endpoint") if value and value.strip() else "")


def host(endpoint: str) -> str:
    return urlsplit(endpoint).netloc or endpoint
