"""`chat MODEL`: a streaming chat in the terminal through the same Engine as the window.

Generation runs on a worker thread so Ctrl+C only sets the CancelToken (the reply stops, the
chat goes on); a second Ctrl+C at the prompt, /exit or end of input quits.
"""
from __future__ import annotations

import queue
import sys
import threading
from typing import Callable, TextIO

from runtime.cli.plan_cmd import add_machine_args, machine_and_prefs, model_path
from runtime.loading import is_server_url, plans_for
from runtime.modelfile import inspect
from runtime.planner import plan
from runtime.types import CancelToken, ChatMessage, Finished, GenerationOptions, ModelLoadError, TextDelta


def add_parser(sub) -> None:
    p = sub.add_parser("chat", help="chat with a model in the terminal")
    p.add_argument("model", nargs="?", help="a .gguf file or a Hugging Face folder (default: the embedded model)")
    add_machine_args(p)
    p.add_argument("--system", default="", help="a system prompt")
    p.add_argument("--max-tokens", type=int, default=1024)
    p.add_argument("--temperature", type=float, default=0.7)
    p.add_argument("--seed", type=int)
    p.set_defaults(run=run)


def run(args, engine_factory: Callable | None = None, stdin: TextIO | None = None,
        stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    path = model_path(args.model)
    hw, prefs = machine_and_prefs(args)
    if is_server_url(path):
        plans = plans_for(path, prefs)
    else:
        result = plan(hw, inspect(path), prefs)
        if not result.plans:
            raise ModelLoadError(result.summary)
        plans = result.plans
    if engine_factory is None:
        from runtime.engine import Engine as engine_factory
    engine = engine_factory()
    loaded = engine.load(plans)
    print(f"{loaded.name} ({loaded.engine}, context {loaded.context_length}). {loaded.reason}", file=sys.stderr)
    print("Type a message; /exit or Ctrl+D quits, Ctrl+C stops a reply.", file=sys.stderr)
    options = GenerationOptions(max_tokens=args.max_tokens, temperature=args.temperature, seed=args.seed)
    history = [ChatMessage("system", args.system)] if args.system else []
    try:
        while True:
            stdout.write("> ")
            stdout.flush()
            line = stdin.readline()
            if not line or line.strip() in ("/exit", "/quit"):
                break
            if not line.strip():
                continue
            history.append(ChatMessage("user", line.rstrip("\n")))
            reply = _reply(engine, history, options, stdout)
            if reply:
                history.append(ChatMessage("assistant", reply))
    except KeyboardInterrupt:
        pass
    finally:
        engine.unload()
    stdout.write("\n")
    return 0


def _reply(engine, history, options, out: TextIO) -> str:
    cancel, events = CancelToken(), queue.Queue()

    def work():
        try:
            for event in engine.stream(list(history), options, cancel):
                events.put(event)
        finally:
            events.put(None)
    threading.Thread(target=work, daemon=True, name="deskseek-chat").start()
    answer, thinking = [], False
    while True:
        try:
            event = events.get()
        except KeyboardInterrupt:
            cancel.cancel()  # the worker ends the stream with Finished(cancelled)
            continue
        if event is None:
            break
        if isinstance(event, TextDelta):
            if event.reasoning != thinking:
                out.write("\n[thinking]\n" if event.reasoning else "\n[answer]\n")
                thinking = event.reasoning
            out.write(event.text)
            out.flush()
            if not event.reasoning:
                answer.append(event.text)
        elif isinstance(event, Finished):
            out.write("\n")
            if event.dropped_messages:
                out.write(f"[{event.dropped_messages} older messages were left out to fit the context]\n")
            if event.reason == "error":
                out.write(f"[error: {event.error}]\n")
            elif event.reason in ("cancelled", "length"):
                out.write(f"[{'stopped' if event.reason == 'cancelled' else 'reply hit the length limit'}]\n")
    return "".join(answer)
