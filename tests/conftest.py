import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

# Before anything imports Qt: no display here, and never touch the user's real data.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.hubfake.fixture import fake_hub, smollm2_hub  # noqa: E402,F401  (the fake Hub, for every test)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def openai_server(tmp_path_factory):
    """llama-cpp-python's OpenAI-compatible server with the embedded SmolLM2, on loopback."""
    from tests.fixtures.models.real import need_smollm2

    smollm_path = need_smollm2()
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    log = open(log_path, "wb")  # a file, not a pipe: llama.cpp's chatter would fill a pipe and block it
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(smollm_path),
                             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
                             "--n_threads", "1"], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/models", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("the llama.cpp server did not start: " + log_path.read_text()[-2000:])
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
