"""From a model path to the plans for loading it on this machine: inspect, probe, plan.

Kept apart from the Engine so the window, the CLI and tests share one path, and so a file
that is not a model is refused with a clear sentence before any engine touches it.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from runtime.hardware import probe
from runtime.modelfile import inspect
from runtime.planner import PlanPreferences, plan
from runtime.sentences import Sentence
from runtime.types import ModelLoadError, Plan


def is_server_url(model_path: str) -> bool:
    return model_path.startswith(("http://", "https://"))


def plans_for(model_path: str, prefs: PlanPreferences | None = None) -> tuple[Plan, ...]:
    if is_server_url(model_path):
        host = urlsplit(model_path).netloc
        return (Plan(engine="remote", model_path=model_path, device=model_path,
                     n_ctx=(prefs.n_ctx if prefs and prefs.n_ctx else 4096),
                     reason=Sentence("The OpenAI-compatible server at {host} runs the model; "
                                     "nothing is loaded on this machine.", host=host)),)
    model = inspect(model_path)
    result = plan(probe(), model, prefs or PlanPreferences())
    if not result.plans:
        raise ModelLoadError(result.summary)
    return result.plans
