"""The window, `deskseek chat` and a plain call (as the API makes it) send the model the same
request for the same conversation: app.chat.request.build_request is the one place that builds it.
The window and the CLI each run their real path (composer and controller; the CLI's loop) over
the real Engine, with a scripted model that keeps what it was sent."""
import io

import pytest
from PySide6.QtCore import Qt

from app.chat import cli
from app.chat.request import build_request
from runtime.types import ChatMessage, GenerationOptions
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

SYSTEM = "You answer in one sentence."
QUESTIONS = ("What is a lighthouse?", "Who keeps it?")
OPTIONS = GenerationOptions(max_tokens=64, temperature=0.5, seed=3)


@pytest.mark.parametrize("name, folds", [("SmolLM2-135M-Instruct.Q4_1.gguf", False),
                                         ("DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf", True)])
def test_the_window_the_cli_and_a_plain_call_send_the_same_request(qtbot, open_window, smollm, tmp_path,
                                                                     name, folds):
    """R1's card asks for no system prompt: each path folds it into the first question alike."""
    model = tmp_path / name
    model.symlink_to(smollm)

    in_window = ScriptedBackend(["Hello ", "there."])
    window = open_window(str(model), engine=scripted_engine(in_window))
    window.controller.system_prompt = SYSTEM
    window.controller.options = OPTIONS
    assert window.controller.fold_system_prompt is folds  # from the model's card, as the window reads it
    for question in QUESTIONS:
        window.composer.editor.setPlainText(question)
        qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.controller.reply is None, timeout=10_000)

    in_terminal = ScriptedBackend(["Hello ", "there."])
    args = cli.build_parser().parse_args([str(model), "--system", SYSTEM, "--max-tokens", "64",
                                          "--temperature", "0.5", "--seed", "3"])
    assert cli.run(args, engine_factory=lambda: scripted_engine(in_terminal),
                   stdin=io.StringIO("\n".join(QUESTIONS) + "\n"), stdout=io.StringIO()) == 0

    plain = build_request([ChatMessage("user", QUESTIONS[0]), ChatMessage("assistant", "Hello there."),
                           ChatMessage("user", QUESTIONS[1])],
                          options=OPTIONS, system_prompt=SYSTEM, fold_system_prompt=folds)
    assert in_window.prompts[1] == in_terminal.prompts[1] == list(plain.messages)
    assert in_window.options[1] == in_terminal.options[1] == plain.options
    assert in_window.prompts[0] == in_terminal.prompts[0] == list(plain.messages)[:len(in_window.prompts[0])]
    first = plain.messages[0]
    assert (first.role, first.content.startswith(SYSTEM)) == (("user", True) if folds else ("system", True))
