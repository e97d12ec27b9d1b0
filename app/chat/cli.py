"""`deskseek chat [MODEL]`: a streaming chat in the terminal with the window's model loading and turn.

The model is loaded as the window loads it (runtime.loading.plans_for: inspect, probe, plan, with
the memory-mapped last resort), and each reply's request is built by app.chat.request.build_request,
the one place that builds what a model is sent (the window's and the API's turns go through it too);
a model whose card asks for no system prompt (R1) gets it folded into the first message, as in the
window. The conversation lives in memory only: the history database is never opened, so a chat in
a terminal beside the window leaves its file alone.

Generation runs on a worker thread so Ctrl+C only sets the CancelToken (the reply stops, the
chat goes on); a second Ctrl+C at the prompt, /exit or end of input quits.
(It lived in runtime/cli/chat_cmd.py until it shared the app's turn; `python -m runtime chat` says so.)
"""
from __future__ import annotations

import argparse
import queue
import sys
import threading
from typing import Callable, Sequence, TextIO

from app.chat.request import build_request
from runtime.types import CancelToken, ChatMessage, DeskSeekError, Finished, GenerationOptions, TextDelta


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="deskseek chat", description=(
        "Chat with a model in the terminal: loaded as the window loads it, each reply sent as the "
        "window sends it; nothing is saved in the history."))
    p.add_argument("model", nargs="?", help="a .gguf file, a Hugging Face folder or a server URL "
                                            "(default: the embedded model)")
    p.add_argument("--ctx", type=int, help="context length in tokens (default: min(trained, 4096))")
    p.add_argument("--engine", choices=("llama_cpp", "torch"), help="only plans for this engine")
    p.add_argument("--no-gpu", action="store_true", help="run on the CPU even if a GPU would fit")
    p.add_argument("--no-kv-quant", action="store_true", help="never quantize the KV cache to fit")
    p.add_argument("--keep-context", action="store_true", help="never shorten the context to fit")
    p.add_argument("--system", default="", help="a system prompt")
    p.add_argument("--max-tokens", type=int, default=1024)
    p.add_argument("--temperature", type=float, default=0.7)
    p.add_argument("--seed", type=int)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        return run(args)
    except DeskSeekError as exc:  # written for the user: print it as-is, no traceback
        print(f"deskseek: {exc}", file=sys.stderr)
        return 1


def run(args, engine_factory: Callable | None = None, stdin: TextIO | None = None,
        stdout: TextIO | None = None) -> int:
    from app.models.model_settings import card_folds_system_prompt
    from runtime.cli.plan_cmd import model_path
    from runtime.loading import plans_for
    from runtime.planner import PlanPreferences

    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    path = model_path(args.model)
    prefs = PlanPreferences(n_ctx=args.ctx, engine=args.engine, use_gpu=not args.no_gpu,
                            allow_kv_quant=not args.no_kv_quant, allow_smaller_context=not args.keep_context)
    plans = plans_for(path, prefs, _disk_speed_cache())
    if engine_factory is None:
        from runtime.engine import Engine as engine_factory
    engine = engine_factory()
    loaded = engine.load(plans)
    print(f"{loaded.name} ({loaded.engine}, context {loaded.context_length}). {loaded.reason}", file=sys.stderr)
    print("Type a message; /exit or Ctrl+D quits, Ctrl+C stops a reply.", file=sys.stderr)
    options = GenerationOptions(max_tokens=args.max_tokens, temperature=args.temperature, seed=args.seed)
    fold = card_folds_system_prompt(path, loaded.name)
    history: list[ChatMessage] = []
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
            request = build_request(history, options=options, system_prompt=args.system, fold_system_prompt=fold)
            reply = _reply(engine, request.messages, request.options, stdout)
            if reply:
                history.append(ChatMessage("assistant", reply))
    except KeyboardInterrupt:
        pass
    finally:
        engine.unload()
    stdout.write("\n")
    return 0


def _disk_speed_cache():
    from app.models.machine import disk_speed_cache

    return disk_speed_cache()


def _reply(engine, messages, options, out: TextIO) -> str:
    cancel, events = CancelToken(), queue.Queue()

    def work():
        try:
            for event in engine.stream(list(messages), options, cancel):
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
