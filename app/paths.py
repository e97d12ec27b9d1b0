"""Where DeskSeek keeps its data: the platform's conventional place, or DESKSEEK_HOME.

One environment variable moves everything (database, logs, models) so tests and portable
installs can point it elsewhere.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir, user_log_dir

HOME_ENV = "DESKSEEK_HOME"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    log_dir: Path
    cache_dir: Path | None = None  # what can be fetched again (remote GGUF headers); None: <data>/cache

    @property
    def cache(self) -> Path:
        return self.cache_dir or self.data_dir / "cache"

    @property
    def database(self) -> Path:
        return self.data_dir / "deskseek.sqlite3"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "deskseek.log"


def app_paths() -> AppPaths:
    home = os.environ.get(HOME_ENV)
    if home:
        root = Path(home).expanduser().resolve()
        return AppPaths(data_dir=root, log_dir=root / "logs", cache_dir=root / "cache")
    return AppPaths(
        data_dir=Path(user_data_dir("DeskSeek", appauthor=False)),
        log_dir=Path(user_log_dir("DeskSeek", appauthor=False)),
        cache_dir=Path(user_cache_dir("DeskSeek", appauthor=False)),
    )
