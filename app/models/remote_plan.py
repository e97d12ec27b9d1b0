"""Know before you download: the planner's verdict on every GGUF in a Hub repo, from headers only.

For each model in the repo (a split GGUF's shards count as one), every shard's header is read by
Range requests (remote_header) and parsed by runtime.modelfile, then runtime.planner plans it
for this machine or a described one. The recommended file is the one whose plan comes first
when the planner ranks all of the repo's files together: its own order, nothing added here.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Callable

from app.models.errors import HubError
from app.models.gguf_names import group_models
from app.models.hub import HubClient, RemoteFile, RepoFiles, check_repo_id
from app.models.remote_header import HeaderCache, RemoteSource
from runtime.hardware import HardwareInfo
from runtime.modelfile import ModelInfo, inspect_gguf_sources
from runtime.planner import PlanPreferences, PlanResult, plan
from runtime.planning.mmap_plan import plan_with_disk
from runtime.planning.summary import one_line
from runtime.types import ModelFileError, Plan

URI_PREFIX = "hf://"
NOT_MODELS = ("mmproj", "imatrix")  # vision projectors and importance matrices: GGUFs, not chat models


@dataclass(frozen=True)
class RemoteModel:
    """One model in a repo: a single GGUF file, or every shard of a split one (first first)."""

    repo_id: str
    revision: str
    files: tuple[RemoteFile, ...]
    quant: str | None  # from the file name; the header's file type when the name does not say

    @property
    def path(self) -> str:
        return self.files[0].path

    @property
    def size_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def uri(self) -> str:
        return f"{URI_PREFIX}{self.repo_id}/{self.path}"


@dataclass(frozen=True)
class Verdict:
    model: RemoteModel
    info: ModelInfo | None  # None: the header could not be read (reason says why)
    plan: Plan | None  # the chosen plan, None when nothing fits
    summary: str | None  # the chosen plan in one line
    reason: str  # the planner's sentence: why this plan, or what would fit
    recommended: bool = False

    @property
    def fits(self) -> bool:
        return self.plan is not None

    @property
    def quant(self) -> str:
        return self.model.quant or (self.info.dtype if self.info else "unknown")


@dataclass(frozen=True)
class RepoPlan:
    repo_id: str
    revision: str
    verdicts: tuple[Verdict, ...]  # smallest file first
    bytes_fetched: int  # header bytes this look cost (0 when all came from the cache)

    @property
    def recommended(self) -> Verdict | None:
        return next((v for v in self.verdicts if v.recommended), None)


def repo_models(listing: RepoFiles) -> list[RemoteModel]:
    """The chat models among a repo's files, smallest first."""
    by_path = {f.path: f for f in listing.files}
    out = [RemoteModel(listing.repo_id, listing.revision, tuple(by_path[p] for p in g.files), g.quant)
           for g in group_models(list(by_path))
           if not any(word in g.path.rsplit("/", 1)[-1].lower() for word in NOT_MODELS)]
    return sorted(out, key=lambda m: (m.size_bytes, m.path))


def read_model_info(client: HubClient, model: RemoteModel, cache: HeaderCache) -> tuple[ModelInfo, int]:
    """The model's description from its shards' headers, and the bytes that cost."""
    sources, entries = [], []
    for f in model.files:
        entry = cache.load(HeaderCache.key(model.repo_id, model.revision, f.path, f.sha256), f.size)
        entries.append((entry, f))

        def locate(path=f.path):
            return client.locate(model.repo_id, path, model.revision)
        sources.append(RemoteSource(f.path.rsplit("/", 1)[-1], f.size, entry, locate, client))
    try:
        info = inspect_gguf_sources(sources, model.uri)
    finally:
        for entry, f in entries:
            cache.save(entry, {"repo": model.repo_id, "revision": model.revision, "path": f.path,
                               "sha256": f.sha256})
    return info, sum(s.bytes_fetched for s in sources)


DiskSpeed = Callable[[], "float | None"]


def plan_repo(client: HubClient, repo_id: str, hardware: HardwareInfo, prefs: PlanPreferences = PlanPreferences(),
              cache: HeaderCache | None = None, revision: str | None = None, workers: int = 4,
              disk_speed: DiskSpeed | None = None) -> RepoPlan:
    """Every model in the repo with the planner's verdict, the recommended one marked.

    disk_speed: asked only when a file fits nowhere and the machine's disk speed is not known
    yet (measuring costs a 256 MiB write once), for the memory-mapped last resort."""
    cache = cache or HeaderCache(None)
    listing = client.repo_files(check_repo_id(repo_id), revision)
    models = repo_models(listing)

    def read(m: RemoteModel) -> tuple[ModelInfo | None, str, int]:
        try:
            info, n = read_model_info(client, m, cache)
            return info, "", n
        except ModelFileError as exc:  # a broken file among good ones: say so, keep the others
            return None, str(exc), 0

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        read_all = list(pool.map(read, models))
    verdicts = [_verdict(m, info, error, hardware, prefs, disk_speed) for m, (info, error, _) in zip(models, read_all)]
    infos = [info for info, _, _ in read_all if info is not None]
    best = plan(hardware, infos, prefs).plans if infos else ()
    chosen = best[0].model_path if best else next((v.model.uri for v in verdicts if v.fits), None)
    # Nothing fits in memory but some file runs mapped from disk (the last resort): the smallest
    # such file, since it reads the least from the disk per token.
    if chosen is not None:
        verdicts = [replace(v, recommended=True) if v.model.uri == chosen else v for v in verdicts]
    return RepoPlan(listing.repo_id, listing.revision, tuple(verdicts), sum(n for _, _, n in read_all))


def plan_uri(client: HubClient, uri: str, hardware: HardwareInfo, prefs: PlanPreferences = PlanPreferences(),
             cache: HeaderCache | None = None, disk_speed: DiskSpeed | None = None) -> tuple[ModelInfo, PlanResult]:
    """The planner on one remote file, hf://OWNER/REPO/PATH.gguf (any shard names the whole model)."""
    repo_id, path = parse_uri(uri)
    listing = client.repo_files(repo_id)
    model = next((m for m in repo_models(listing) if path in (f.path for f in m.files)), None)
    if model is None:
        raise HubError(f"{repo_id} has no GGUF model file {path} (or not all of its shards) on "
                       f"{client.endpoint}; `deskseek models files {repo_id}` lists what it has.")
    info, _ = read_model_info(client, model, cache or HeaderCache(None))
    return info, plan_with_disk(hardware, info, prefs, disk_speed)


def parse_uri(uri: str) -> tuple[str, str]:
    rest = uri[len(URI_PREFIX):] if uri.startswith(URI_PREFIX) else uri
    parts = rest.strip("/").split("/")
    if len(parts) < 3 or not parts[-1].lower().endswith(".gguf"):
        raise HubError(f"{uri!r} does not name a GGUF on the Hub: write it as "
                       "hf://OWNER/REPO/PATH.gguf, e.g. hf://unsloth/DeepSeek-V3-GGUF/Q4_K_M/"
                       "DeepSeek-V3-Q4_K_M-00001-of-00009.gguf.")
    return check_repo_id("/".join(parts[:2])), "/".join(parts[2:])


def _verdict(m: RemoteModel, info: ModelInfo | None, error: str, hw: HardwareInfo,
             prefs: PlanPreferences, disk_speed: DiskSpeed | None) -> Verdict:
    if info is None:
        return Verdict(m, None, None, None, error)
    result = plan_with_disk(hw, info, prefs, disk_speed)
    if not result.plans:
        return Verdict(m, info, None, None, result.summary)
    chosen = result.plans[0]
    return Verdict(m, info, chosen, one_line(chosen, info, hw), chosen.reason)
