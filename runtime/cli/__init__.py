"""The command line: `python -m runtime plan|generate ...` (and `deskseek plan|generate`).

For people without the window and for scripts; it uses the same planner and Engine as the
window, so what it prints is what the window would do. The terminal chat is `deskseek chat`
(app/chat/cli.py): it sends each turn as the window does, which the runtime may not import.
"""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from runtime.types import DeskSeekError


CHAT_MOVED = ("The chat command is `deskseek chat` now (or `python -m app chat` from a source checkout): "
              "it sends each turn as the window does, on this machine (describing another one with --gpu, "
              "--ram and the like is for `deskseek plan`).")


def build_parser() -> argparse.ArgumentParser:
    from runtime.cli import plan_cmd

    parser = argparse.ArgumentParser(prog="deskseek", description="DeskSeek's runtime from a terminal.")
    sub = parser.add_subparsers(dest="command", required=True)
    plan_cmd.add_parser(sub)
    sub.add_parser("generate", help="the torch engine's generation script (see generate --help)",
                   add_help=False)
    return parser


def command_summaries() -> dict[str, str]:
    """Each command's one-line help, as its own parser states it (for `deskseek --help`)."""
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help or "" for choice in commands._choices_actions}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "generate":  # its own parser, written with the torch engine
        try:
            from runtime.cli.generate import main as generate_main
        except ImportError as exc:
            print(f"deskseek: the generate command is not available ({exc}).", file=sys.stderr)
            return 2
        return generate_main(argv[1:]) or 0
    if argv and argv[0] == "chat":
        print(f"deskseek: {CHAT_MOVED}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DeskSeekError as exc:  # written for the user: print it as-is, no traceback
        print(f"deskseek: {exc}", file=sys.stderr)
        return 1
