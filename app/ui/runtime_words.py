"""The runtime's sentences (plan reasons, model notes, load errors) in the window's language.

The runtime stays Qt-free and writes English `runtime.sentences.Sentence`s; their templates are
translated here, in the Qt context "Runtime" of resources/translations. Plain str passes as is.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from runtime.sentences import render

CONTEXT = "Runtime"


def translated(text: str) -> str:
    return render(text, lambda template: QCoreApplication.translate(CONTEXT, template))
