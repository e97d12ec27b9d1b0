"""The window's runtime thread and the local API server share one EngineQueue: the window's turn
waits for the reply being written, not for the API requests that came after that one."""
import threading

from app.api import start_server
from app.ui.runtime_thread import RuntimeThread
from runtime.types import CancelToken, ChatMessage, GenerationOptions, Plan
from tests.api.conftest import TOKEN, EchoBackend, sse
from tests.ui.scripted_backend import scripted_engine


def test_a_window_turn_goes_between_api_requests(qtbot):
    backend = EchoBackend(delay_s=0.005)
    runtime = RuntimeThread(scripted_engine(backend))
    # The scripted model has no file for plans_for to inspect: its plan goes to the queue directly.
    runtime.queue.load(lambda: (Plan(engine="llama_cpp", model_path="/models/echo.gguf"),)).result(10)
    server = start_server(runtime.queue, "127.0.0.1", 0, TOKEN)
    try:
        long = " ".join(f"api0w{i}" for i in range(300))  # 1.5 s of reply
        replies = {}

        def client(name, text):
            replies[name] = sse(server, "/v1/chat/completions", {"messages": [{"role": "user", "content": text}]})

        first = threading.Thread(target=client, args=("api0", long))
        first.start()
        qtbot.waitUntil(lambda: backend.prompts == [long], timeout=10_000)
        later = [threading.Thread(target=client, args=(f"api{n}", f"api{n} reply")) for n in (1, 2)]
        for t in later:
            t.start()
        qtbot.wait(300)  # both sent: their token counts wait for the running reply, then they queue
        assert backend.prompts == [long]
        finished = []
        runtime.worker.finished.connect(lambda rid, done: finished.append((rid, done)))
        runtime.generate(7, [ChatMessage("user", "window reply")], GenerationOptions(), CancelToken())
        qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
        assert finished[0][0] == 7 and finished[0][1].reason == "stop"
        for t in [first, *later]:
            t.join(10)
        assert backend.prompts[:2] == [long, "window reply"]  # then the two API requests, in the order they came
        assert sorted(backend.prompts[2:]) == ["api1 reply", "api2 reply"]
        assert set(replies) == {"api0", "api1", "api2"}
    finally:
        server.stop()
        assert runtime.stop()
