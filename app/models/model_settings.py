"""Per-model settings, kept in the store beside the library: context length, the GPU split, and
sampling. A model that matches a catalog entry starts from its family's card values (R1: 0.6 /
0.95, no system prompt); any other from the user's general settings. Qt-free."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from app.models.catalog import SAMPLING_RANGES, Catalog, CatalogEntry
from app.settings import MIN_CONTEXT, Settings
from runtime.planner import PlanPreferences
from runtime.types import GenerationOptions

KEY_PREFIX = "model_settings:"
LIMITS: dict[str, tuple[float, float]] = {
    **SAMPLING_RANGES,
    "top_k": (0, 1000),  # 0: no top-k cut
    "repeat_penalty": (1.0, 2.0),
    "n_ctx": (0, 1048576),
}


@dataclass(frozen=True)
class ModelSettings:
    n_ctx: int = 0  # 0: the general setting (or the planner's choice)
    n_gpu_layers: int | None = None  # None: the planner's split
    n_cpu_moe_layers: int | None = None
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    repeat_penalty: float = 1.1
    seed: int | None = None  # None: a new one each reply
    system_prompt: bool = True  # False: the system prompt leads the first user message instead

    def problems(self) -> list[str]:
        found = []
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                found.append(f"{name.replace('_', ' ').capitalize()} must be between {low:g} and {high:g} "
                             f"(got {value!r}).")
        if isinstance(self.n_ctx, int) and 0 < self.n_ctx < MIN_CONTEXT:
            found.append(f"Context length must be 0 (the default) or at least {MIN_CONTEXT} tokens.")
        for name in ("n_gpu_layers", "n_cpu_moe_layers", "seed"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                found.append(f"{name.replace('_', ' ').capitalize()} must be empty or a whole number ≥ 0.")
        return found

    def to_generation_options(self, max_tokens: int) -> GenerationOptions:
        return GenerationOptions(max_tokens=max_tokens, temperature=float(self.temperature),
                                 top_p=float(self.top_p), top_k=int(self.top_k),
                                 repeat_penalty=float(self.repeat_penalty), seed=self.seed)

    def to_plan_preferences(self, general: PlanPreferences) -> PlanPreferences:
        return replace(general, n_ctx=self.n_ctx or general.n_ctx, n_gpu_layers=self.n_gpu_layers,
                       n_cpu_moe_layers=self.n_cpu_moe_layers)


def model_key(path: str) -> str:
    """A model's identity in the store: its real path (a link or a relative path is the same model)."""
    if path.startswith(("http://", "https://")):
        return KEY_PREFIX + path
    return KEY_PREFIX + os.path.realpath(os.path.expanduser(path))


def defaults_for(entry: CatalogEntry | None, general: Settings) -> ModelSettings:
    base = ModelSettings(temperature=float(general.temperature), top_p=float(general.top_p))
    if entry is None:
        return base
    fam = entry.family
    return replace(base, temperature=fam.temperature, top_p=fam.top_p, system_prompt=fam.system_prompt)


def match_entry(catalog: Catalog, path: str, *names: str) -> CatalogEntry | None:
    """The catalog entry for a local model, by its file or folder names and any names it gives itself."""
    parts = [p for p in os.path.normpath(path).split(os.sep)[-3:] if p]
    return catalog.match(*reversed(parts), *names)


def load_model_settings(store, path: str, defaults: ModelSettings) -> ModelSettings:
    """The stored settings over the defaults; a damaged field falls back to its default."""
    raw = store.get_setting(model_key(path))
    try:
        data: Any = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        data = {}
    settings = defaults
    if isinstance(data, dict):
        for f in fields(ModelSettings):
            if f.name in data:
                candidate = replace(settings, **{f.name: data[f.name]})
                if not candidate.problems():
                    settings = candidate
    return settings


def save_model_settings(store, path: str, settings: ModelSettings) -> list[str]:
    """Problems (nothing written) or [] when saved."""
    problems = settings.problems()
    if not problems:
        store.set_setting(model_key(path), json.dumps(asdict(settings), sort_keys=True))
    return problems


def forget_model_settings(store, path: str) -> None:
    """Back to the defaults (the catalog's or the general settings)."""
    store.set_setting(model_key(path), "{}")


def settings_for_model(store, path: str, general: Settings, *names: str) -> ModelSettings:
    """What a model runs with: its stored settings over its catalog family's (or the general) defaults."""
    from app.models.catalog import CatalogError, load_catalog
    try:
        entry = match_entry(load_catalog(), path, *names)
    except CatalogError:  # a damaged catalog costs the card defaults, never the chat
        entry = None
    return load_model_settings(store, path, defaults_for(entry, general))


def card_folds_system_prompt(path: str, *names: str) -> bool:
    """The model's catalog card asks for no system prompt (R1 and its distills), as the window
    reads it for a model without settings of its own: for the terminal commands (`deskseek chat`,
    `deskseek serve`), which never open the history where those settings live."""
    from app.models.catalog import CatalogError, load_catalog

    try:
        entry = match_entry(load_catalog(), path, *names)
    except CatalogError:
        return False
    return entry is not None and not entry.family.system_prompt
