"""The user's settings: one frozen dataclass, validated, kept as JSON in the store's settings table.

Qt-free, so the window, the dialog and the tests share one definition. A damaged or
hand-edited value never stops DeskSeek from starting: `load_settings` keeps every field it can
read and falls back to the default for the rest, reporting what it dropped.
"""
from __future__ import annotations

import ipaddress
import json
import logging
import secrets
from urllib.parse import urlsplit
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Mapping, Protocol

from runtime.planner import PlanPreferences
from runtime.types import GenerationOptions

log = logging.getLogger(__name__)

SETTINGS_KEY = "settings"
THEMES = ("light", "dark", "system")
LANGUAGES = ("en", "zh_CN")

BUILTIN_PRESETS: dict[str, str] = {
    "Helpful assistant": "You are a helpful, honest assistant. Answer clearly and concisely.",
    "Code reviewer": (
        "You are a careful senior software engineer. Point out bugs, risks and simpler designs; "
        "show corrected code in fenced blocks."
    ),
    "中文助手": "你是一位乐于助人的助手。请始终使用简体中文，回答准确、简洁、有条理。",
}

# Inclusive bounds; kept here so the dialog's spin boxes and the validation agree.
LIMITS: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 2.0),
    "top_p": (0.01, 1.0),
    "max_tokens": (1, 131072),
    "n_ctx": (0, 1048576),
    "n_threads": (0, 1024),
    "font_size": (7, 32),
    "api_port": (1024, 65535),  # below 1024 only root may listen
}
MIN_CONTEXT = 256  # below this no chat template plus a question fits
API_DEFAULT_PORT = 8765  # the same as `deskseek serve`'s
API_LOOPBACK = "127.0.0.1"


class SettingsError(ValueError):
    """Every problem found, one sentence each, in `problems`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class SettingsStore(Protocol):
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...


@dataclass(frozen=True)
class Settings:
    system_prompt: str = ""
    presets: dict[str, str] = field(default_factory=lambda: dict(BUILTIN_PRESETS))
    temperature: float = 0.7
    top_p: float = 0.95
    max_tokens: int = 1024
    n_ctx: int = 0  # 0: the model's own default
    n_threads: int = 0  # 0: chosen automatically (physical cores)
    theme: str = "system"
    language: str = "en"
    font_size: int = 10
    # The local API server (Settings > Local API server): off until the user turns it on.
    api_enabled: bool = False
    api_port: int = API_DEFAULT_PORT
    api_host: str = API_LOOPBACK
    api_origins: list[str] = field(default_factory=list)  # empty: no CORS headers at all
    api_save_history: bool = True
    # Made with `secrets` when the server first starts; never in a log (repr=False keeps it out of
    # any logged Settings).
    api_token: str = field(default="", repr=False)

    def problems(self) -> list[str]:
        """What is wrong, as sentences a person can act on; empty when all is well."""
        found = []
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            kind = float if name in ("temperature", "top_p") else int
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                    kind is int and not isinstance(value, int)):
                found.append(f"{_LABELS[name]} must be a{'n integer' if kind is int else ' number'}.")
            elif not low <= value <= high:
                found.append(f"{_LABELS[name]} must be between {_fmt(low)} and {_fmt(high)} (got {_fmt(value)}).")
        if isinstance(self.n_ctx, int) and 0 < self.n_ctx < MIN_CONTEXT:
            found.append(f"Context length must be 0 (the model's default) or at least {MIN_CONTEXT} tokens.")
        if self.theme not in THEMES:
            found.append(f"Theme must be one of {', '.join(THEMES)} (got {self.theme!r}).")
        if self.language not in LANGUAGES:
            found.append(f"Language must be one of {', '.join(LANGUAGES)} (got {self.language!r}).")
        if not isinstance(self.system_prompt, str):
            found.append("The system prompt must be text.")
        if not isinstance(self.presets, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in self.presets.items()):
            found.append("Presets must map names to system prompts (text).")
        elif any(not k.strip() for k in self.presets):
            found.append("Every preset needs a name.")
        for name in ("api_enabled", "api_save_history"):
            if not isinstance(getattr(self, name), bool):
                found.append(f"{_LABELS[name]} must be true or false.")
        if not isinstance(self.api_host, str) or not is_listen_address(self.api_host):
            found.append(f"The API server's listen address must be an IP address of this machine, "
                         f"such as {API_LOOPBACK} (got {self.api_host!r}).")
        if not isinstance(self.api_origins, list) or not all(isinstance(o, str) for o in self.api_origins):
            found.append("The API server's allowed origins must be a list of web origins.")
        else:
            found += [f"{o!r} is not a web origin: write scheme://host[:port], like http://localhost:3000."
                      for o in self.api_origins if not is_web_origin(o)]
        if not isinstance(self.api_token, str):
            found.append("The API token must be text.")
        return found

    def validated(self) -> "Settings":
        problems = self.problems()
        if problems:
            raise SettingsError(problems)
        return self

    def to_generation_options(self) -> GenerationOptions:
        return GenerationOptions(max_tokens=self.max_tokens, temperature=float(self.temperature),
                                 top_p=float(self.top_p))

    def to_plan_preferences(self) -> PlanPreferences:
        """Context length and threads for the planner; 0 leaves the choice to it."""
        return PlanPreferences(n_ctx=self.n_ctx or None, n_threads=self.n_threads or None)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


_LABELS = {"temperature": "Temperature", "top_p": "Top-p", "max_tokens": "Maximum reply tokens",
           "n_ctx": "Context length", "n_threads": "CPU threads", "font_size": "Font size",
           "api_port": "API server port", "api_enabled": "Serve the model", "api_save_history":
           "Save API conversations"}


def is_listen_address(host: str) -> bool:
    """An address a server can listen on: an IP address, or localhost (no other names: what a
    name resolves to can change under the user)."""
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_loopback(host: str) -> bool:
    """Only this machine can reach a server listening here."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_web_origin(origin: str) -> bool:
    """What a browser sends as Origin: http(s)://host[:port], no path, no user, no wildcard
    (every site allowed is what GPT4All's server does, and what this setting exists to avoid)."""
    try:
        parts = urlsplit(origin)
        port = parts.port  # a bad port raises here
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and "*" not in origin
            and not parts.username and parts.path == "" and not parts.query and not parts.fragment
            and (port is None or 0 < port < 65536) and origin == origin.strip())


def new_api_token() -> str:
    """A bearer token for the local API server: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def api_url(host: str, port: int) -> str:
    """The base URL a program on this machine uses (an OpenAI client's base_url): a server that
    listens on every address (0.0.0.0, ::) is reached here through loopback."""
    shown = {"0.0.0.0": API_LOOPBACK, "::": "::1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/v1"


def parse_origins(text: str) -> list[str]:
    """Origins typed one per line or separated by commas or spaces; a trailing / dropped
    (a browser never sends one)."""
    return [o.rstrip("/") for o in text.replace(",", " ").split()]


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def from_mapping(data: Mapping[str, Any]) -> tuple[Settings, list[str]]:
    """Settings from decoded JSON: unknown keys ignored, each bad field reset to its default.
    Returns the settings and the problems that were repaired."""
    settings, repaired = Settings(), []
    for f in fields(Settings):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "presets" and isinstance(value, dict):
            value = {**BUILTIN_PRESETS, **value}  # built-ins stay even if an old file lacks them
        if isinstance(getattr(settings, f.name), float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        candidate = replace(settings, **{f.name: value})
        problems = candidate.problems()
        if problems:
            repaired += problems
        else:
            settings = candidate
    return settings, repaired


def load_settings(store: SettingsStore) -> Settings:
    raw = store.get_setting(SETTINGS_KEY)
    if raw is None:
        return Settings()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        log.warning("settings are not valid JSON (%s); using the defaults", exc)
        return Settings()
    if not isinstance(data, dict):
        log.warning("settings are not a JSON object; using the defaults")
        return Settings()
    settings, repaired = from_mapping(data)
    for problem in repaired:
        log.warning("setting reset to its default: %s", problem)
    return settings


def save_settings(store: SettingsStore, settings: Settings) -> None:
    """Validate, then write; SettingsError names every problem and nothing is written."""
    store.set_setting(SETTINGS_KEY, settings.validated().to_json())
