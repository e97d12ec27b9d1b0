"""A real keyring backend that keeps passwords in a JSON file: tests' stand-in for the OS keyring.

Chosen with keyring's own mechanisms: keyring.set_keyring(FileKeyring(path)) in a test, or
PYTHON_KEYRING_BACKEND=tests.models.file_keyring.FileKeyring with DESKSEEK_TEST_KEYRING=<file>
for a subprocess.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

ENV = "DESKSEEK_TEST_KEYRING"


class FileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        if ENV not in os.environ:  # keyring tries every backend class: only viable when asked for
            raise RuntimeError(f"{ENV} is not set")
        return 1

    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__()
        self.path = Path(path or os.environ.get(ENV) or os.devnull)

    def _all(self) -> dict:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._all().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._all() | {f"{service}\0{username}": password}
        self.path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._all()
        if data.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError("no such password")
        self.path.write_text(json.dumps(data))
