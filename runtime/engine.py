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
from runtime.backends.base import raw_refusal, supports_raw
from runtime.default_model import LANGUAGES, is_default_model
from runtime.prompting import check_raw_fits, fit_messages, reply_reserve
from runtime.sentences import join
from runtime.types import (
    CancelToken,
    ChatMessage,
    DeskSeekError,
    Finished,
    GenerationError,
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
        """Load with the first plan that works; each failure's reason is kept for the message.

        A refused model or server keeps the current one. Two local models may not fit in memory
        together (a 40 GB model cannot be loaded twice), so a local model is let go before the
        new one loads and is loaded again from its own plan if every new plan fails. A server
        holds nothing on this machine, so when either side is a server the old model stays
        loaded until the new one works.
        """
        if not plans:
            raise ModelLoadError("There is no way to run this model on this machine.")
        progress = on_progress or (lambda _f: None)
        old_plan, old_info = self._plan, self._info
        side_by_side = old_plan is not None and (
            old_plan.engine == "remote" or all(p.engine == "remote" for p in plans))
        if not side_by_side:
            self.unload()
        try:
            backend, plan = self._first_that_loads(plans, progress)
        except ModelLoadError as exc:
            if old_plan is not None and not side_by_side:
                self._restore(old_plan, old_info, progress, exc)
            raise
        if side_by_side:
            self.unload()  # the server or the local model that the new one replaces
        self._backend, self._plan = backend, plan
        path = Path(plan.model_path)
        self._info = LoadedModel(
            name=backend.display_name or (path.stem if path.is_file() else path.name),
            path=plan.model_path,  # as given: a file, a folder or a server URL
            engine=plan.engine,
            context_length=backend.context_length(),
            reason=join(" ", (plan.reason, backend.template_note)),
            languages=LANGUAGES if is_default_model(path) else "",
            plan=plan,
        )
        return self._info

    def _first_that_loads(self, plans: Sequence[Plan], progress: Callable[[float], None]) -> tuple[Backend, Plan]:
        failures: list[str] = []
        for plan in plans:
            backend: Backend | None = None
            try:
                backend = self._factory(plan.engine)
                backend.load(plan, progress)
                return backend, plan
            except DeskSeekError as exc:
                log.warning("plan failed (%s): %s", plan.reason, exc)
                failures.append(str(exc))
            except Exception as exc:  # a backend bug in one plan must not skip the others
                log.exception("plan failed unexpectedly (%s)", plan.reason)
                failures.append(f"The {plan.engine} engine failed: {exc}")
            if backend is not None:
                try:
                    backend.unload()  # free whatever the failed attempt allocated
                except Exception:
                    log.exception("unloading a failed %s load", plan.engine)
        if len(failures) == 1:
            raise ModelLoadError(failures[0])
        raise ModelLoadError("Every way to run this model failed: " + " Then: ".join(failures))

    def _restore(self, plan: Plan, info: LoadedModel | None, progress: Callable[[float], None],
                 why: ModelLoadError) -> None:
        """Load the model that was let go for a new one that failed; raise if that fails too."""
        try:
            self._backend, self._plan = self._first_that_loads([plan], progress)
        except ModelLoadError as again:
            raise ModelLoadError(f"{why} The previous model could not be loaded again either: {again}") from why
        self._info = info

    def unload(self) -> None:
        if self._backend is not None:
            self._backend.unload()
        self._backend, self._plan, self._info = None, None, None

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return self._require().count_tokens(messages)

    def count_text_tokens(self, text: str) -> int:
        """The tokens `text` takes as a message, the chat template's own tokens around it left
        out: the model's own count, for choosing what a question may quote."""
        backend = self._require()
        return backend.count_tokens([ChatMessage("user", text)]) - backend.count_tokens([ChatMessage("user", "")])

    @property
    def tokenizer_at_hand(self) -> bool:
        """Whether count_text_tokens is the model's own tokenizer (a server's count is a guess)."""
        return self._plan is not None and self._plan.engine != "remote"

    def count_raw_tokens(self, prompt: str) -> int:
        """The tokens `prompt` takes as raw text (no chat template), as complete() feeds it."""
        backend = self._require()
        if not supports_raw(backend):
            raise GenerationError(raw_refusal())
        return backend.count_raw_tokens(prompt)

    def stream(
        self, messages: Sequence[ChatMessage], options: GenerationOptions, cancel: CancelToken
    ) -> Iterator[StreamEvent]:
        """Text deltas, then exactly one Finished, whatever happens."""

        def start(backend: Backend) -> tuple[Iterator, int]:
            n_ctx = backend.context_length()
            # The one fit check: older turns dropped, or a sentence when even the last message is too long.
            fitted = fit_messages(messages, n_ctx, reply_reserve(n_ctx, options.max_tokens), backend.count_tokens)
            return backend.stream(fitted.messages, options, cancel), fitted.dropped

        return self._run(start)

    def complete(self, prompt: str, options: GenerationOptions, cancel: CancelToken) -> Iterator[StreamEvent]:
        """Raw text continued as it is (no chat template): text deltas, then exactly one Finished.
        The same fit rule as stream(), but nothing of raw text can be dropped: too long is an error."""

        def start(backend: Backend) -> tuple[Iterator, int]:
            if not supports_raw(backend):
                raise GenerationError(raw_refusal())
            n_ctx = backend.context_length()
            check_raw_fits(backend.count_raw_tokens(prompt), n_ctx, reply_reserve(n_ctx, options.max_tokens))
            return backend.stream_raw(prompt, options, cancel), 0

        return self._run(start)

    def _run(self, start: Callable[[Backend], tuple[Iterator, int]]) -> Iterator[StreamEvent]:
        """Time the generator start(backend) gives (with the messages it dropped to fit) and end
        it with one Finished, a failure included."""
        begun = time.perf_counter()
        first: float | None = None
        produced = 0
        dropped = 0
        try:
            gen, dropped = start(self._require())
            while True:
                try:
                    delta = next(gen)
                except StopIteration as stop:
                    stats = stop.value
                    break
                if first is None:
                    first = time.perf_counter() - begun
                produced += 1
                yield delta
        except DeskSeekError as exc:
            yield Finished(reason="error", completion_tokens=produced, time_to_first_token_s=first,
                           total_s=time.perf_counter() - begun, error=str(exc), dropped_messages=dropped)
            return
        except Exception as exc:  # a backend bug must not kill the runtime thread
            log.exception("generation failed")
            yield Finished(reason="error", completion_tokens=produced, time_to_first_token_s=first,
                           total_s=time.perf_counter() - begun, error=f"The engine failed: {exc}",
                           dropped_messages=dropped)
            return
        yield Finished(reason=stats.finish_reason, prompt_tokens=stats.prompt_tokens,
                       completion_tokens=stats.completion_tokens, time_to_first_token_s=first,
                       total_s=time.perf_counter() - begun, dropped_messages=dropped)

    def _require(self) -> Backend:
        if self._backend is None:
            raise ModelLoadError("No model is loaded yet.")
        return self._backend
