"""One DeskSeek window per data folder: a second start hands its request to the first and leaves.

Two windows on one history would each believe their own view of it (the open conversation, a reply
they started, the remembered model); SQLite would keep the file whole, but the user would not know
which window had their words. So the first window holds a lock file (QLockFile: a dead owner's
lock, after a kill -9, is recognised by its process id and taken over) and listens on a local
socket; a second start sends it "come to the front" (and the model it was asked to open), says
"DeskSeek is already running" and exits.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
LOCK_NAME = "deskseek.lock"  # beside the database, never the database itself
CONNECT_MS = 2000


def server_name(data_dir: Path) -> str:
    """A socket name per user and data folder (short: Unix socket paths are limited to ~100 bytes)."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return f"deskseek-{uid}-{digest}"


class SingleInstance(QObject):
    """acquire() once at start: True for the first window, which then calls listen()."""

    activated = Signal(str)  # a later start asked the window to the front; its --model or ""

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        # Never take a live owner's lock for its age; a dead owner's is taken over at once.
        self._lock.setStaleLockTime(0)
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        if self._lock.tryLock(0):
            return True
        # tryLock only clears a stale lock when asked to wait; a dead owner's pid is checked here.
        if self._lock.error() == QLockFile.LockError.LockFailedError and self._owner_is_gone():
            self._lock.removeStaleLockFile()
            return self._lock.tryLock(0)
        return False

    def owner_pid(self) -> int | None:
        info = self._lock.getLockInfo()  # PySide6: (pid, hostname, appname); no file: falsy values
        pid = info[0] if isinstance(info, tuple) and info else 0
        return pid if isinstance(pid, int) and pid > 0 else None

    def listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self._name)  # a socket file left by a killed owner
        if not server.listen(self._name):
            log.warning("single-instance socket %s: %s", self._name, server.errorString())
            return
        server.newConnection.connect(self._on_connection)
        self._server = server

    def ask_first_to_show(self, model: str | None) -> bool:
        """From a second start: True when the running window got the request."""
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(CONNECT_MS):
            return False
        socket.write((json.dumps({"show": True, "model": model or ""}) + "\n").encode())
        sent = socket.waitForBytesWritten(CONNECT_MS)
        socket.disconnectFromServer()
        return sent

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.unlock()

    def _owner_is_gone(self) -> bool:
        pid = self.owner_pid()
        if not pid:
            return False
        from app.store.liveness import process_alive

        return not process_alive(pid)

    def _on_connection(self) -> None:
        while self._server is not None and (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.canReadLine():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine()).decode("utf-8", "replace")
            try:
                request = json.loads(line)
            except json.JSONDecodeError:
                continue  # not ours: the socket is the user's own, but say nothing to a stranger
            if isinstance(request, dict) and request.get("show"):
                model = request.get("model")
                self.activated.emit(model if isinstance(model, str) else "")
