"""The user's settings: one frozen dataclass, validated, kept as JSON in the store's settings table.

Qt-free, so the window, the dialog and the tests share one definition. A damaged or
hand-edited value never stops DeskSeek from starting: `load_settings` keeps every field it can
read and falls back to the default for the rest, reporting what it dropped.
"""
from __future__ import annotations

import json
import logging
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
}
MIN_CONTEXT = 256  # below this no chat template plus a question fits


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
           "n_ctx": "Context length", "n_threads": "CPU threads", "font_size": "Font size"}


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
