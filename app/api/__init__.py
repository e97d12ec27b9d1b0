"""DeskSeek's local OpenAI-compatible API server (Qt-free).

`start_server(queue, host, port, token, origins)` serves the model of an EngineQueue over HTTP
in its own thread: `deskseek serve` starts it over a queue of its own, the window over its own
runtime queue. See server.py for what is checked before a request reaches the engine.
"""
from app.api.server import API_LANE, ReplyHook, ServerHandle, ServerStartError, start_server

__all__ = ["API_LANE", "ReplyHook", "ServerHandle", "ServerStartError", "start_server"]
