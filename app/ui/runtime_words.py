"""The runtime's sentences (plan reasons, model notes, load errors) in the window's language.

The runtime stays Qt-free and writes English `runtime.sentences.Sentence`s; their templates are
translated here. lupdate finds them when told that Sentence marks a source text
(`-tr-function-alias QT_TR_NOOP+=Sentence`, see tests/ui/test_i18n.py), and files them under the
empty context, outside any class. Plain str passes as is.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from runtime.sentences import render

CONTEXT = ""


def translated(text: str) -> str:
    return render(text, lambda template: QCoreApplication.translate(CONTEXT, template))
