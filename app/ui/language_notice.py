"""A word when Chinese (or Japanese, Korean) goes to a model known to speak English only: such a
model answers it with gibberish, and without a word the user blames DeskSeek. Said once per
conversation and model; the message is sent all the same."""
from __future__ import annotations

from PySide6.QtCore import QObject

from app.store.cjk import has_cjk
from runtime.default_model import LANGUAGES
from runtime.types import LoadedModel


class LanguageNotice(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._said: set[tuple[str | None, str]] = set()

    def check(self, model: LoadedModel | None, conversation_id: str | None, text: str) -> str:
        """The sentence to show for this sent message, or "" (nothing to say, or said already)."""
        if model is None or model.languages != LANGUAGES or not has_cjk(text):
            return ""
        key = (conversation_id, model.path)
        if key in self._said:
            return ""
        self._said.add(key)
        return self.tr("%1 understands English only: its replies to Chinese, Japanese or Korean will be "
                       "gibberish. Your message was sent. For Chinese, open a bilingual model with File > Open "
                       "model… (a Qwen2.5 or DeepSeek-R1-Distill-Qwen GGUF, for example).").replace("%1", model.name)
