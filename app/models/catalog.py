"""The curated DeepSeek catalog: `resources/models/catalog.json` read, checked and matched.

The list is data, not code, so adding a model or correcting a repo name is a JSON edit. Each
family carries the sampling its model card recommends; `match` finds the entry a local file
belongs to, so a downloaded R1 distill starts with R1's values. Qt-free.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from resources import RESOURCES

CATALOG_FILE = RESOURCES / "models" / "catalog.json"
REPO_RE = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
LANGUAGES = ("en", "zh")
# Inclusive ranges a model card's recommendation must lie in (also what the per-model editor allows).
SAMPLING_RANGES = {"temperature": (0.0, 2.0), "top_p": (0.01, 1.0)}


class CatalogError(ValueError):
    """Every problem found, one sentence each, in `problems`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    temperature: float
    top_p: float
    system_prompt: bool  # False: the card asks for every instruction in the user turn
    note: dict[str, str]
    source: str  # which model card the values come from


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    family: Family
    params_total: int
    params_active: int
    languages: tuple[str, ...]
    license: str
    description: dict[str, str]
    original: str  # the safetensors repo, deepseek-ai/…
    gguf: tuple[str, ...]  # GGUF repos, the first the one offered first

    @property
    def repos(self) -> tuple[str, ...]:
        return (self.original, *self.gguf)

    def text(self, field: str, language: str) -> str:
        """description/note in the window's language ("zh_CN" -> Chinese), else English."""
        texts = self.description if field == "description" else self.family.note
        return texts.get(language.split("_")[0], texts["en"])


@dataclass(frozen=True)
class Catalog:
    families: dict[str, Family]
    entries: tuple[CatalogEntry, ...]

    def by_id(self, entry_id: str) -> CatalogEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def match(self, *names: str) -> CatalogEntry | None:
        """The entry a local model belongs to, from its file name, folder or GGUF general.name:
        "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", "deepseek-ai_DeepSeek-R1-0528-Qwen3-8B-Q8_0.gguf",
        "models--bartowski--DeepSeek-Coder-V2-Lite-Instruct-GGUF". The longest model name found wins
        (R1-Distill-Qwen-14B, never just R1)."""
        keys = sorted(((_squash(e.original.split("/")[1]), e) for e in self.entries),
                      key=lambda ke: -len(ke[0]))
        for name in names:
            squashed = _squash(name or "")
            for key, entry in keys:
                if key in squashed:
                    return entry
        return None


def _squash(text: str) -> str:
    """Lower case, letters and digits only: "DeepSeek R1 Distill Qwen 7B" == "deepseek-r1-distill-qwen-7b"."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


@lru_cache(maxsize=1)
def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CatalogError([f"The model catalog {path} cannot be read: {exc}."]) from None
    return parse_catalog(data)


def parse_catalog(data: object) -> Catalog:
    """Check everything, then build; CatalogError names every problem found."""
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("families"), dict) \
            or not isinstance(data.get("models"), list):
        raise CatalogError(["The catalog must be an object with 'families' and 'models'."])
    families = {}
    for fid, raw in data["families"].items():
        fam = _family(fid, raw, problems)
        if fam:
            families[fid] = fam
    entries, seen_ids, seen_repos = [], set(), set()
    for i, raw in enumerate(data["models"]):
        entry = _entry(i, raw, families, problems)
        if entry is None:
            continue
        if entry.id in seen_ids:
            problems.append(f"Model id {entry.id!r} appears twice.")
        seen_ids.add(entry.id)
        for repo in entry.repos:
            if repo.lower() in seen_repos:
                problems.append(f"Repo {repo} is listed twice.")
            seen_repos.add(repo.lower())
        entries.append(entry)
    if problems:
        raise CatalogError(problems)
    return Catalog(families, tuple(entries))


def _texts(where: str, raw: object, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(raw.get(lang), str) and raw[lang].strip()
                                            for lang in LANGUAGES):
        problems.append(f"{where} needs text in English and Chinese ('en' and 'zh').")
        return {}
    return dict(raw)


def _family(fid: str, raw: object, problems: list[str]) -> Family | None:
    where = f"Family {fid!r}"
    if not isinstance(raw, dict):
        problems.append(f"{where} must be an object.")
        return None
    sampling = raw.get("sampling") if isinstance(raw.get("sampling"), dict) else {}
    values = {}
    for name, (low, high) in SAMPLING_RANGES.items():
        value = sampling.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            problems.append(f"{where}: sampling {name} must be a number from {low:g} to {high:g} (got {value!r}).")
        else:
            values[name] = float(value)
    if not isinstance(raw.get("system_prompt"), bool):
        problems.append(f"{where}: system_prompt must be true or false.")
    if not isinstance(raw.get("source"), str) or "card" not in raw.get("source", ""):
        problems.append(f"{where}: source must name the model card its values come from.")
    note = _texts(f"{where} note", raw.get("note"), problems)
    if len(values) < len(SAMPLING_RANGES) or not note or not isinstance(raw.get("name"), str):
        return None
    return Family(fid, raw["name"], values["temperature"], values["top_p"], bool(raw.get("system_prompt")),
                  note, str(raw.get("source")))


def _entry(i: int, raw: object, families: dict[str, Family], problems: list[str]) -> CatalogEntry | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        problems.append(f"Model #{i + 1} must be an object with an id.")
        return None
    where = f"Model {raw['id']!r}"
    before = len(problems)
    family = families.get(raw.get("family"))
    if family is None:
        problems.append(f"{where}: unknown family {raw.get('family')!r}.")
    for key in ("name", "license"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problems.append(f"{where}: {key} is missing.")
    total, active = raw.get("params_total"), raw.get("params_active")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in (total, active)) \
            or active > total:
        problems.append(f"{where}: params_total and params_active must be positive, active at most total.")
    langs = raw.get("languages")
    if not isinstance(langs, list) or not set(LANGUAGES) <= set(langs):
        problems.append(f"{where}: languages must include en and zh.")
    description = _texts(f"{where} description", raw.get("description"), problems)
    original, gguf = raw.get("original"), raw.get("gguf")
    if not isinstance(original, str) or not original.startswith("deepseek-ai/") or not REPO_RE.match(original):
        problems.append(f"{where}: original must be a deepseek-ai/… repo (got {original!r}).")
    if not isinstance(gguf, list) or not gguf or not all(isinstance(r, str) and REPO_RE.match(r)
                                                          and r.lower().endswith("-gguf") for r in gguf):
        problems.append(f"{where}: gguf must list OWNER/NAME-GGUF repos.")
    if len(problems) > before:
        return None
    return CatalogEntry(raw["id"], raw["name"], family, int(total), int(active), tuple(langs), raw["license"],
                        description, original, tuple(gguf))
