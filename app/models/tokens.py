"""The Hugging Face token for gated repos, kept in the OS keyring (never the database or logs).

One token per endpoint host, so a mirror's token and the Hub's do not overwrite each other.
Without a usable keyring backend, reading finds no token and saving says why.
"""
from __future__ import annotations

import keyring
from keyring.errors import KeyringError

from app.models.endpoint import host
from app.models.errors import HubError

SERVICE = "DeskSeek Hugging Face token"


def load_token(endpoint: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, host(endpoint)) or None
    except Exception:  # noqa: BLE001  a backend plugin may raise anything (no D-Bus, locked...):
        return None  # then gated repos stay closed and nothing else breaks


def save_token(endpoint: str, token: str) -> None:
    token = token.strip()
    if not token:
        raise HubError("The token is empty: paste the access token from your Hugging Face settings page.")
    try:
        keyring.set_password(SERVICE, host(endpoint), token)
    except Exception as exc:  # noqa: BLE001  any backend's failure gets the same sentence
        raise HubError(f"The token could not be kept: this desktop has no usable keyring ({exc}). "
                       "Install or unlock one (GNOME Keyring, KWallet, macOS Keychain, Windows "
                       "Credential Manager) and try again.") from None


def forget_token(endpoint: str) -> bool:
    """Remove the endpoint's token; False when there was none (or no keyring)."""
    try:
        keyring.delete_password(SERVICE, host(endpoint))
        return True
    except KeyringError:
        return False
