"""The Engine owns one backend: it loads a model trying plans in order, streams replies with
timing and context fitting, and turns every failure into a sentence for the user.

It is not thread-safe on purpose: one runtime thread owns it; only the CancelToken crosses threads.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable, Iterator, Sequence

from runtime.backends import Backend, create_backend
from runtime.default_model import LANGUAGES, is_default_model
from runtime.prompting import fit_messages
from runtime.sentences import join
from runtime.types import (
    CancelToken,
    ChatMessage,
    DeskSeekError,
    Finished,
    GenerationOptions,
    LoadedModel,
    ModelLoadError,
    Plan,
    StreamEvent,
)

log = logging.getLogger(__name__)


class Engine:
    def __init__(self, backend_factory: Callable[[str], Backend] = create_backend) -> None:
        self._factory = backend_factory
        self._backend: Backend | None = None
        self._plan: Plan | None = None
        self._info: LoadedModel | None = None

    @property
    def plan(self) -> Plan | None:
        return self._plan

    @property
    def info(self) -> LoadedModel | None:
        """The model that is loaded now, if any."""
        return self._info

    @property
    def loaded(self) -> bool:
        return self._backend is not None

    def load(self, plans: Sequence[Plan], on_progress: Callable[[float], None] | None = None) -> LoadedModel:
        """Load with the first plan that works; each failure's reason is kept for the message."""
        self.unload()
        if not plans:
            raise ModelLoadError("There is no way to run this model on this machine.")
        failures: list[str] = []
        for plan in plans:
            backend = self._factory(plan.engine)
            try:
                backend.load(plan, on_progress or (lambda _f: None))
            except DeskSeekError as exc:
                log.warning("plan failed (%s): %s", plan.reason, exc)
                failures.append(str(exc))
                backend.unload()
                continue
            self._backend, self._plan = backend, plan
            path = Path(plan.model_path)
            self._info = LoadedModel(
                name=getattr(backend, "display_name", "") or (path.stem if path.is_file() else path.name),
                path=plan.model_path,  # as given: a file, a folder or a server URL
                engine=plan.engine,
                context_length=backend.context_length(),
                reason=join(" ", (plan.reason, getattr(backend, "template_note", ""))),
                languages=LANGUAGES if is_default_model(path) else "",
            )
            return self._info
        if len(failures) == 1:
            raise ModelLoadError(failures[0])
        raise ModelLoadError("Every way to run this model failed: " + " Then: ".join(failures))

    def unload(self) -> None:
        if self._backend is not None:
            self._backend.unload()
        self._backend, self._plan, self._info = None, None, None

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return self._require().count_tokens(messages)

    def stream(
        self, messages: Sequence[ChatMessage], options: GenerationOptions, cancel: CancelToken
    ) -> Iterator[StreamEvent]:
        """Text deltas, then exactly one Finished, whatever happens."""
        start = time.perf_counter()
        first: float | None = None
        produced = 0
        dropped = 0
        try:
            backend = self._require()
            n_ctx = backend.context_length()
            # Keep room for a reply without letting a large max_tokens starve the history.
            fitted = fit_messages(messages, n_ctx, min(options.max_tokens, n_ctx // 4), backend.count_tokens)
            dropped = fitted.dropped
            gen = backend.stream(fitted.messages, options, cancel)
            while True:
                try:
                    delta = next(gen)
                except StopIteration as stop:
                    stats = stop.value
                    break
                if first is None:
                    first = time.perf_counter() - start
                produced += 1
                yield delta
        except DeskSeekError as exc:
            yield Finished("error", 0, produced, first, time.perf_counter() - start, str(exc), dropped)
            return
        except Exception as exc:  # a backend bug must not kill the runtime thread
            log.exception("generation failed")
            yield Finished("error", 0, produced, first, time.perf_counter() - start,
                           f"The engine failed: {exc}", dropped)
            return
        yield Finished(
            stats.finish_reason,
            stats.prompt_tokens,
            stats.completion_tokens,
            first,
            time.perf_counter() - start,
            None,
            dropped,
        )

    def _require(self) -> Backend:
        if self._backend is None:
            raise ModelLoadError("No model is loaded yet.")
        return self._backend
