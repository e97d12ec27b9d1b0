"""The window's local API server: started, restarted and stopped as Settings > Local API server says,
on the window's own EngineQueue (RuntimeThread.queue), so the window's turns and API requests take
turns on the one model (the queue serves its "window" and "api" lanes round-robin).

The token is made with `secrets` the first time the server starts and kept in the store's settings;
it is never logged. A port that is taken (or an address that is not this computer's) is said in a
sentence, and the switch goes back off.
"""
from __future__ import annotations

import errno
import logging
import socket
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from app.settings import Settings, SettingsStore, api_url, is_loopback, new_api_token, save_settings
from app.ui.api_history import ApiHistory
from runtime.engine_queue import EngineQueue
from runtime.types import DeskSeekError, GenerationOptions

log = logging.getLogger(__name__)


class ApiSwitch(QObject):
    state_changed = Signal(str, bool)  # the URL clients use ("" when off), reachable from other computers
    notice = Signal(str)  # a sentence for the notice bar

    def __init__(self, store: SettingsStore, queue: EngineQueue, history: ApiHistory,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._queue = queue
        self.history = history
        self.handle = None  # app.api.ServerHandle while it runs
        self._running_as: tuple | None = None  # host, port, token, origins it was started with
        self._defaults = GenerationOptions()
        self._fold = False

    def use_defaults(self, options: GenerationOptions, fold_system_prompt: bool = False) -> None:
        """The loaded model's own sampling, for what an API request leaves out, and whether its card
        folds the system prompt into the first message (as a window turn)."""
        self._defaults, self._fold = options, fold_system_prompt
        if self.handle is not None:
            self.handle.use_defaults(options, fold_system_prompt)

    @property
    def url(self) -> str:
        return api_url(self.handle.host, self.handle.port) if self.handle is not None else ""

    def apply(self, settings: Settings) -> Settings:
        """Start, restart or stop the server as `settings` say. Returns them as they now stand (and
        as saved): with a token made on the first start, or switched off when the server could not
        listen."""
        self.history.enabled = settings.api_save_history
        if not settings.api_enabled:
            self.stop()
            return settings
        if not settings.api_token:
            settings = replace(settings, api_token=new_api_token())
            save_settings(self._store, settings)
        wanted = (settings.api_host, settings.api_port, settings.api_token, tuple(settings.api_origins))
        if self.handle is not None and wanted == self._running_as:
            return settings
        self.stop()
        refused = self.can_listen(settings.api_host, settings.api_port)
        if refused is None:
            refused = self._start(settings)
        if refused:
            log.warning("the local API server did not start: %s", refused)
            settings = replace(settings, api_enabled=False)
            save_settings(self._store, settings)
            self.notice.emit(refused)
            return settings
        self._running_as = wanted
        exposed = not is_loopback(settings.api_host)
        if exposed:
            self.notice.emit(self.tr("The local API server listens on %1, so other computers can reach it "
                                     "(they still need the token).").replace("%1", settings.api_host))
        self.state_changed.emit(self.url, exposed)
        return settings

    def _start(self, settings: Settings) -> str | None:
        from app.api.server import start_server  # uvicorn and starlette: only when switched on

        try:
            self.handle = start_server(self._queue, settings.api_host, settings.api_port, settings.api_token,
                                       settings.api_origins, defaults=self._defaults, on_reply=self.history.hook)
        except DeskSeekError as exc:
            return self.tr("The local API server did not start: %1").replace("%1", str(exc))
        self.handle.use_defaults(self._defaults, self._fold)
        return None

    def can_listen(self, host: str, port: int) -> str | None:
        """None when the server can listen on host:port (or already does), else why not. Its own
        port, on another address, is left to apply(), which stops it before trying."""
        if self.handle is not None and self.handle.port == port:
            return None
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
            try:
                probe.bind((host, port))
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return self.tr("Port %1 is already in use on this computer: choose another port, or close "
                                   "the program that uses it.").replace("%1", str(port))
                if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
                    return self.tr("%1 is not an address of this computer: use 127.0.0.1, or one of this "
                                   "computer's own addresses.").replace("%1", host)
                return self.tr("The local API server cannot listen on %1: %2").replace(
                    "%1", f"{host}:{port}").replace("%2", exc.strerror or str(exc))
        return None

    def stop(self) -> None:
        """Stop it (its replies cancelled, its port closed); the model stays loaded."""
        if self.handle is None:
            return
        handle, self.handle, self._running_as = self.handle, None, None
        if not handle.stop():
            log.warning("the local API server's thread did not end in time")
        log.info("the local API server stopped")
        self.state_changed.emit("", False)
