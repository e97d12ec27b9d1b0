"""The window's local API server (Settings > Local API server), with the real window, the real
SmolLM2 and the official openai client on loopback: the token, window turns and API requests
sharing the one engine, API conversations in the sidebar, switching off, closing the window."""
import logging
import socket
import threading
from dataclasses import replace

import openai
import pytest
from PySide6.QtCore import Qt

from app.paths import app_paths
from app.settings import Settings, load_settings, save_settings
from app.store import open_store
from tests.ui.test_walking_skeleton import assistant_views, send

QUESTION = [{"role": "user", "content": "Name three colours."}]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def refused(port: int, host: str = "127.0.0.1") -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.fixture
def api_window(open_window, data_home):
    """A window whose settings have the server switched on (as a user left them)."""
    def _open(wait_ready=True, **fields):
        port = free_port()
        with open_store(app_paths().database) as store:
            save_settings(store, replace(Settings(), api_enabled=True, api_port=port, **fields))
        window = open_window(wait_ready=wait_ready)
        return window, port
    return _open


def recorded_jobs(window):
    """The EngineQueue's jobs as the engine took them (instrumentation, not a stand-in)."""
    queue = window.controller.runtime.queue
    jobs, generate = [], queue.generate

    def recording(*args, **kwargs):
        job = generate(*args, **kwargs)
        jobs.append(job)
        return job

    queue.generate = recording
    return jobs


def sidebar_titles(window):
    model = window.sidebar.model
    return [model.data(model.index(r, 0), Qt.ItemDataRole.DisplayRole) for r in range(model.rowCount())]


def test_the_openai_client_talks_to_the_window_with_its_token(qtbot, api_window, smollm):
    window, port = api_window()
    token = load_settings(window.store).api_token
    assert len(token) >= 40  # made with secrets on the first start, kept in the store's settings
    url = f"http://127.0.0.1:{port}/v1"
    assert window.api.url == url
    assert window.model_panel.api_status.text() == f"API on {url}" and window.model_panel.api_status.isVisible()
    client = openai.OpenAI(base_url=url, api_key=token, max_retries=0, timeout=60)
    model = client.models.list().data[0].id
    reply = client.chat.completions.create(model=model, messages=QUESTION, max_tokens=16, temperature=0)
    assert reply.choices[0].message.content.strip()
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=url, api_key="not-the-token", max_retries=0).models.list()
    # Saved in the history as an API conversation, through the turn service, and listed.
    qtbot.waitUntil(lambda: window.api_history.open_replies == 0 and bool(window.store.list_conversations()),
                    timeout=10_000)
    [conversation] = window.store.list_conversations()
    assert conversation.origin == "api" and conversation.title == "Name three colours."
    user, answer = window.store.messages(conversation.id)
    assert (user.role, user.content) == ("user", "Name three colours.")
    assert answer.content == reply.choices[0].message.content and answer.status == "done"
    assert answer.completion_tokens == reply.usage.completion_tokens
    qtbot.waitUntil(lambda: "API · Name three colours." in sidebar_titles(window), timeout=5000)
    assert window.controller.conversation_id is None  # the window's own chat was left alone


def test_a_window_turn_and_an_api_stream_share_the_engine_without_interleaving(qtbot, api_window, smollm):
    window, port = api_window()
    jobs = recorded_jobs(window)
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=load_settings(window.store).api_token,
                           max_retries=0, timeout=120)
    model = client.models.list().data[0].id
    alone = client.chat.completions.create(model=model, messages=QUESTION, max_tokens=32, temperature=0)
    streamed = {}

    def api_stream():
        chunks = client.chat.completions.create(model=model, messages=QUESTION, max_tokens=32, temperature=0,
                                                stream=True)
        streamed["text"] = "".join(c.choices[0].delta.content or "" for c in chunks)

    caller = threading.Thread(target=api_stream)
    send(qtbot, window, "Write one sentence about the sea.")
    caller.start()
    qtbot.waitUntil(lambda: not caller.is_alive() and window.controller.reply is None, timeout=120_000)
    caller.join()
    assert streamed["text"] == alone.choices[0].message.content  # no token of the window's reply in it
    [window_reply] = assistant_views(window)
    assert window_reply.text.strip()
    ran = sorted(jobs[-2:], key=lambda j: j.started_at)
    assert len(jobs) == 3 and {j.lane for j in ran} == {"window", "api"}
    assert ran[0].ended_at <= ran[1].started_at  # one after the other on the one engine
    assert all(j.finished.reason in ("stop", "length") for j in ran)


def test_switching_off_closes_the_port_and_saving_off_keeps_no_history(qtbot, api_window, smollm):
    window, port = api_window(api_save_history=False)
    settings = load_settings(window.store)
    client = openai.OpenAI(base_url=window.api.url, api_key=settings.api_token, max_retries=0, timeout=60)
    client.chat.completions.create(model=client.models.list().data[0].id, messages=QUESTION, max_tokens=4)
    qtbot.wait(200)
    assert window.store.list_conversations() == []
    assert window.api.can_listen("127.0.0.1", port) is None  # its own port is not "in use"
    assert window.api.can_listen("0.0.0.0", port) is None
    window.settings = window.api.apply(replace(settings, api_enabled=False))
    assert refused(port) and window.api.url == "" and window.model_panel.api_status.isHidden()
    window.settings = window.api.apply(replace(settings, api_enabled=True))  # same token, same port again
    assert not refused(port) and load_settings(window.store).api_token == settings.api_token
    window.settings = window.api.apply(replace(settings, api_token="a-regenerated-token-" + "z" * 24))
    with pytest.raises(openai.AuthenticationError):  # the old token is refused from then on
        client.models.list()
    assert openai.OpenAI(base_url=window.api.url, api_key=window.settings.api_token, max_retries=0).models.list()
    window.close()
    assert refused(port)  # closing the window stops it


def test_a_taken_port_at_start_is_said_and_the_switch_goes_off(qtbot, open_window, data_home):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with open_store(app_paths().database) as store:
            save_settings(store, replace(Settings(), api_enabled=True, api_port=port))
        window = open_window(wait_ready=False)
        assert window.notice.text() == (f"Port {port} is already in use on this computer: choose another port, "
                                        "or close the program that uses it.")
        assert not load_settings(window.store).api_enabled and not window.settings.api_enabled
        assert window.api.url == "" and window.model_panel.api_status.isHidden()


def test_another_address_is_warned_in_the_notice_bar_and_the_log(qtbot, api_window, caplog):
    caplog.set_level(logging.INFO)
    window, port = api_window(api_host="0.0.0.0", wait_ready=False)
    assert window.notice.isVisible() and window.notice.kind == "api"
    assert window.notice.text() == ("The local API server listens on 0.0.0.0, so other computers can reach it "
                                    "(they still need the token).")
    assert "(reachable from other computers)" in window.model_panel.api_status.text()
    assert "other machines can reach it" in caplog.text
    assert load_settings(window.store).api_token not in caplog.text


def test_an_api_request_leaves_out_sampling_and_gets_the_loaded_models_own(qtbot, open_window, data_home, smollm):
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    port = free_port()
    with open_store(app_paths().database) as store:
        save_settings(store, replace(Settings(), api_enabled=True, api_port=port, temperature=0.33, top_p=0.5))
    backend = ScriptedBackend(["Hello", " there"])
    window = open_window(str(smollm), engine=scripted_engine(backend))
    own = window.controller.options
    assert (own.temperature, own.top_p) != (0.7, 0.95)  # not GenerationOptions' defaults, so this can fail
    client = openai.OpenAI(base_url=window.api.url, api_key=load_settings(window.store).api_token, max_retries=0)
    reply = client.chat.completions.create(model=client.models.list().data[0].id, messages=QUESTION, max_tokens=5)
    assert reply.choices[0].message.content == "Hello there"
    sent = backend.options[-1]
    assert (sent.temperature, sent.top_p, sent.top_k, sent.repeat_penalty) == (
        own.temperature, own.top_p, own.top_k, own.repeat_penalty)
    with_its_own = client.chat.completions.create(model=client.models.list().data[0].id, messages=QUESTION,
                                                  max_tokens=5, temperature=1.5)
    assert with_its_own.choices and backend.options[-1].temperature == 1.5  # what a request says wins


def test_closing_the_window_mid_stream_keeps_the_api_reply_so_far_and_closes_the_port(qtbot, open_window, data_home,
                                                                                       smollm):
    from tests.ui.scripted_backend import ScriptedBackend, scripted_engine

    port = free_port()
    with open_store(app_paths().database) as store:
        save_settings(store, replace(Settings(), api_enabled=True, api_port=port))
    backend = ScriptedBackend([f"w{i} " for i in range(2000)], delay_s=0.01)
    window = open_window(str(smollm), engine=scripted_engine(backend))
    client = openai.OpenAI(base_url=window.api.url, api_key=load_settings(window.store).api_token, max_retries=0)
    got, ended = [], threading.Event()

    def api_stream():
        try:
            for chunk in client.chat.completions.create(model=model, messages=QUESTION,
                                                        max_tokens=3000, stream=True):
                got.append(chunk.choices[0].delta.content or "" if chunk.choices else "")
        except Exception as exc:  # the server went away mid-reply
            got.append(exc)
        ended.set()

    model = client.models.list().data[0].id
    threading.Thread(target=api_stream, daemon=True).start()
    qtbot.waitUntil(lambda: len(got) > 20 and bool(window.store.list_conversations()), timeout=20_000)
    path = window.store.path
    window.close()
    assert refused(port)
    assert ended.wait(10) and len(got) < 1000  # the reply stopped long before its end
    with open_store(path) as store:
        [conversation] = store.list_conversations()
        reply = store.messages(conversation.id)[-1]
    assert conversation.origin == "api" and reply.role == "assistant"
    assert reply.status == "done" and reply.finish_reason == "cancelled" and reply.content.startswith("w0 w1 ")


def test_the_switch_in_the_settings_dialog_starts_and_stops_the_server(qtbot, open_window, data_home):
    from PySide6.QtWidgets import QDialogButtonBox

    from tests.ui.test_settings_dialog import run_modal

    window = open_window(wait_ready=False)
    port = free_port()

    def switch_on(dialog):
        dialog.api.enabled.setChecked(True)
        dialog.api.port.setValue(port)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    run_modal(qtbot, switch_on)
    window.open_settings()
    assert window.api.url == f"http://127.0.0.1:{port}/v1" and not refused(port)
    assert window.settings.api_enabled and load_settings(window.store).api_token == window.settings.api_token != ""
    assert window.model_panel.api_status.text() == f"API on http://127.0.0.1:{port}/v1"

    def switch_off(dialog):
        assert dialog.api.token.text() == window.settings.api_token  # shown, to copy
        dialog.api.enabled.setChecked(False)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    run_modal(qtbot, switch_off)
    window.open_settings()
    assert refused(port) and window.api.url == "" and not load_settings(window.store).api_enabled
