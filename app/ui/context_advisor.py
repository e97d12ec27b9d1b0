"""The offer of a longer context: when the open conversation's documents would be given whole (or
more of them) with a longer context than the loaded one and this machine holds it for the model,
the notice bar says so with a Reload button, which keeps that context in the model's own settings
and loads it again.

Asked when a document is stored, a model is ready or another conversation opens; the question
(every passage read, the model's header inspected, the machine probed) runs on a Background
thread, so the GUI thread only reads the model's settings and starts it. Each offer is made once
per conversation, model and loaded context: closing it is an answer.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject

from app.documents.context_offer import ContextOffer, context_offer
from app.models.model_settings import save_model_settings, settings_for_model
from app.store import StoreError
from app.ui.background import Background
from runtime.loading import is_server_url

KIND = "context"  # the notice's kind


def tokens_short(n: int) -> str:
    """32768 -> "32K"; below 1024 the number itself."""
    return f"{round(n / 1024)}K" if n >= 1024 else str(n)


class ContextAdvisor(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        self.offered: set[tuple[str, str, int]] = set()  # (conversation, model, loaded context)
        self.background = Background(self)
        self.background.done.connect(self._answer)
        window.documents.intake.stored.connect(self._on_stored)
        self.controller.current_changed.connect(self._on_current_changed)
        self.controller.model_state_changed.connect(self._on_model_state)

    def check(self) -> None:
        """Ask, off the GUI thread, whether the open conversation's documents want a longer context."""
        cid, model = self.controller.conversation_id, self.controller.model
        if cid is None or model is None or self.controller.loading_path or is_server_url(model.path):
            return
        if (cid, model.path, model.context_length) in self.offered:
            return
        try:
            own = settings_for_model(self.window.store, model.path, self.window.settings, model.name)
        except StoreError:
            return  # the store's error is shown where the store is used
        prefs = own.to_plan_preferences(self.window.settings.to_plan_preferences())
        self.background.run(KIND, context_offer, self.window.store.path, cid, model.path, model.context_length,
                            model.plan, prefs, self.controller.options.max_tokens)

    def text(self, offer: ContextOffer) -> str:
        need, holds, now = tokens_short(offer.needed), tokens_short(offer.machine), tokens_short(offer.loaded)
        if offer.whole and offer.on_gpu:
            text = self.tr("These documents need about %1 tokens of context to be read whole; your GPU holds "
                           "%2 for this model (%3 now).")
        elif offer.whole:
            text = self.tr("These documents need about %1 tokens of context to be read whole; this "
                           "computer's memory holds %2 for this model (%3 now).")
        elif offer.on_gpu:
            text = self.tr("These documents need about %1 tokens of context to be read whole; your GPU holds "
                           "%2 for this model (%3 now), enough for more of them.")
        else:
            text = self.tr("These documents need about %1 tokens of context to be read whole; this "
                           "computer's memory holds %2 for this model (%3 now), enough for more of them.")
        return text.replace("%1", need).replace("%2", holds).replace("%3", now)

    def reload(self, offer: ContextOffer) -> None:
        """Keep the longer context in the model's own settings and load it again with them."""
        model = self.controller.model
        name = model.name if model is not None and model.path == offer.model_path else ""
        try:
            own = settings_for_model(self.window.store, offer.model_path, self.window.settings, name)
            problems = save_model_settings(self.window.store, offer.model_path, replace(own, n_ctx=offer.machine))
        except StoreError as exc:
            self.window.show_notice(str(exc), "model")
            return
        if problems:
            self.window.show_notice(" ".join(problems), "model")
            return
        self.window.load_model(offer.model_path)

    # -- signals ------------------------------------------------------------------------
    def _answer(self, kind: str, offer) -> None:
        model = self.controller.model
        if (kind != KIND or offer is None or offer.conversation_id != self.controller.conversation_id
                or model is None or model.path != offer.model_path or model.context_length != offer.loaded):
            return  # no offer, or its question no longer stands
        self.offered.add((offer.conversation_id, offer.model_path, offer.loaded))
        button = self.tr("Reload with %1").replace("%1", tokens_short(offer.machine))
        self.window.show_notice(self.text(offer), KIND, (button, lambda: self.reload(offer)))

    def _on_stored(self, conversation_id: str) -> None:
        if conversation_id == self.controller.conversation_id:
            self.check()

    def _on_current_changed(self) -> None:
        self.background.forget(KIND)
        self.window.notice.clear(KIND)
        self.check()

    def _on_model_state(self, kind: str, _sentence) -> None:
        self.background.forget(KIND)
        self.window.notice.clear(KIND)
        if kind == "ready":
            self.check()
