"""The window, `deskseek chat`, the local API and a plain call send the model the same request for
the same conversation: app.chat.request.build_request is the one place that builds it. The
window, the CLI and the API (the window's own server, asked with the official openai client)
each run their real path over the real Engine, with a scripted model that keeps what it was sent."""
import io
from dataclasses import replace

import openai

import pytest
from PySide6.QtCore import Qt

from app.chat import cli
from app.chat.request import build_request
from app.paths import app_paths
from app.settings import Settings, save_settings
from app.store import open_store
from runtime.types import ChatMessage, GenerationOptions
from tests.ui.scripted_backend import ScriptedBackend, scripted_engine
from tests.ui.test_api_window import free_port

SYSTEM = "You answer in one sentence."
QUESTIONS = ("What is a lighthouse?", "Who keeps it?")
OPTIONS = GenerationOptions(max_tokens=64, temperature=0.5, seed=3)


@pytest.mark.parametrize("name, folds", [("SmolLM2-135M-Instruct.Q4_1.gguf", False),
                                         ("DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf", True)])
def test_the_window_the_cli_the_api_and_a_plain_call_send_the_same_request(qtbot, open_window, smollm, tmp_path,
                                                                             data_home, name, folds):
    """R1's card asks for no system prompt: each path folds it into the first question alike."""
    model = tmp_path / name
    model.symlink_to(smollm)
    port = free_port()
    with open_store(app_paths().database) as store:  # Settings > Local API server switched on
        save_settings(store, replace(Settings(), api_enabled=True, api_port=port))

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

    # The same conversation asked through the window's API server (the client sends it whole).
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=window.settings.api_token)
    sent = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTIONS[0]},
            {"role": "assistant", "content": "Hello there."}, {"role": "user", "content": QUESTIONS[1]}]
    client.chat.completions.create(model=window.controller.model.name, messages=sent, max_tokens=64,
                                   temperature=0.5, seed=3)
    through_api = in_window.prompts[2]  # the window's engine served it, after the window's two turns

    plain = build_request([ChatMessage("user", QUESTIONS[0]), ChatMessage("assistant", "Hello there."),
                           ChatMessage("user", QUESTIONS[1])],
                          options=OPTIONS, system_prompt=SYSTEM, fold_system_prompt=folds)
    assert in_window.prompts[1] == in_terminal.prompts[1] == through_api == list(plain.messages)
    assert in_window.options[1] == in_terminal.options[1] == plain.options
    assert in_window.prompts[0] == in_terminal.prompts[0] == list(plain.messages)[:len(in_window.prompts[0])]
    first = plain.messages[0]
    assert (first.role, first.content.startswith(SYSTEM)) == (("user", True) if folds else ("system", True))
