"""`deskseek models search|files|login|logout` and `deskseek plan hf://OWNER/REPO/PATH.gguf`.

The same code as the window's Models page (app.models.hub, app.models.remote_plan): what these
print is what the window would show. Every command takes --endpoint (else the setting, else
HF_ENDPOINT, else the Hub); a gated repo's token comes from the OS keyring (`models login`).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Sequence

from app.models.endpoint import resolve_endpoint, stored_endpoint
from app.models.hub import HubClient
from app.models.machine import models_disk_speed
from app.models.remote_header import HeaderCache
from app.models.remote_plan import RepoPlan, Verdict, plan_repo, plan_uri
from app.models.tokens import forget_token, save_token
from runtime.cli.plan_cmd import add_machine_args, machine_and_prefs, print_plan
from runtime.planning.words import size
from runtime.types import DeskSeekError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deskseek models", description="Find GGUF models on the Hugging Face "
                                     "Hub and see how each would run here, before downloading.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("search", help="GGUF repositories whose name contains TEXT")
    p.add_argument("text")
    p.add_argument("--limit", type=_positive, default=30, help="at most this many (default 30)")
    p.add_argument("--json", action="store_true")
    _endpoint_arg(p)
    p.set_defaults(run=_search)
    p = sub.add_parser("files", help="each model file of a repository with the planner's verdict")
    p.add_argument("repo", metavar="OWNER/NAME")
    p.add_argument("--revision", help="a branch, tag or commit (default: main)")
    add_machine_args(p)
    p.add_argument("--json", action="store_true", help="a list of objects: path, quant, size_bytes, fits, "
                                                       "plan, reason, recommended, files")
    _endpoint_arg(p)
    p.set_defaults(run=_files)
    p = sub.add_parser("login", help="keep a Hugging Face access token in the OS keyring (read from stdin)")
    p.add_argument("--token", help="the token (default: read a line from stdin, so it stays out of the "
                                   "shell history)")
    _endpoint_arg(p)
    p.set_defaults(run=_login)
    p = sub.add_parser("logout", help="remove the endpoint's token from the OS keyring")
    _endpoint_arg(p)
    p.set_defaults(run=_logout)
    return parser


def plan_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="deskseek plan", description="The planner on a GGUF on the Hub, from "
                                "its header alone (a few MB by HTTP Range requests).")
    p.add_argument("model", metavar="hf://OWNER/REPO/PATH.gguf")
    add_machine_args(p)
    p.add_argument("--json", action="store_true", help="print the plans as JSON")
    _endpoint_arg(p)
    return p


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    return _guarded(args.run, args)


def plan_main(argv: Sequence[str]) -> int:
    """`deskseek plan hf://…` (app/__main__.py sends it here; local paths go to runtime.cli)."""
    args = plan_parser().parse_args(list(argv))
    return _guarded(_plan, args)


def _guarded(run, args) -> int:
    try:
        return run(args)
    except DeskSeekError as exc:  # written for the user: print it as-is, no traceback
        print(f"deskseek: {exc}", file=sys.stderr)
        return 1


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _endpoint_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--endpoint", metavar="URL", help="the Hub or a mirror (default: the setting, else "
                                                     "HF_ENDPOINT, else https://huggingface.co)")


def _client(args) -> HubClient:
    return HubClient(resolve_endpoint(args.endpoint, stored_endpoint()))


def _cache() -> HeaderCache:
    from app.paths import app_paths

    return HeaderCache(app_paths().cache)


def _search(args) -> int:
    found = _client(args).search(args.text, limit=args.limit)
    if args.json:
        print(json.dumps([asdict(r) for r in found], indent=1))
        return 0
    if not found:
        print(f"No GGUF repository matches {args.text!r}.")
    for r in found:
        print(f"{r.repo_id}  ({r.downloads} downloads, {r.likes} likes{', gated' if r.gated else ''})")
    return 0


def _files(args) -> int:
    hw, prefs = machine_and_prefs(args)
    result = plan_repo(_client(args), args.repo, hw, prefs, _cache(), args.revision,
                       disk_speed=models_disk_speed())
    if args.json:
        print(json.dumps([verdict_json(v) for v in result.verdicts], indent=1))
    else:
        print(render_repo(result))
    return 0


def verdict_json(v: Verdict) -> dict:
    return {"path": v.model.path, "quant": v.quant, "size_bytes": v.model.size_bytes, "fits": v.fits,
            "plan": v.summary, "reason": v.reason, "recommended": v.recommended,
            "files": [f.path for f in v.model.files], "sha256": [f.sha256 for f in v.model.files],
            "est_decode_tok_s": v.plan.est_decode_tok_s if v.plan else None, "uri": v.model.uri}


def render_repo(result: RepoPlan) -> str:
    lines = [f"{result.repo_id} at {result.revision[:12]}: {len(result.verdicts)} GGUF model"
             f"{'s' * (len(result.verdicts) != 1)}"]
    if not result.verdicts:
        lines.append("  (no .gguf files here: DeskSeek runs GGUF models; look for a -GGUF repository)")
    for v in result.verdicts:
        parts = f" ({len(v.model.files)} files)" if len(v.model.files) > 1 else ""
        mark = "★" if v.recommended else " "
        lines.append(f"{mark} {v.quant:<10} {size(v.model.size_bytes):>11}  {v.model.path}{parts}")
        lines.append(f"    {'fits: ' + v.summary if v.fits else 'does not fit: ' + v.reason}")
    if result.recommended:
        lines.append(f"★ recommended: {result.recommended.model.path} (the planner's first choice here)")
    return "\n".join(lines)


def _plan(args) -> int:
    hw, prefs = machine_and_prefs(args)
    model, result = plan_uri(_client(args), args.model, hw, prefs, _cache(), models_disk_speed())
    return print_plan(model, hw, result, args.json)


def _login(args) -> int:
    endpoint = resolve_endpoint(args.endpoint, stored_endpoint())
    token = args.token if args.token is not None else sys.stdin.readline()
    save_token(endpoint, token)
    print(f"The token for {endpoint} is kept in the OS keyring.")
    return 0


def _logout(args) -> int:
    endpoint = resolve_endpoint(args.endpoint, stored_endpoint())
    gone = forget_token(endpoint)
    print(f"The token for {endpoint} was removed." if gone else f"There was no token for {endpoint}.")
    return 0
