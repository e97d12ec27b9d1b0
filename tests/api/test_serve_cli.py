"""`deskseek serve` in a real process, and who can reach the server: loopback only unless
--host says otherwise."""
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.api import start_server
from tests.api.conftest import TOKEN, EchoBackend, request, scripted_server
from tests.fixtures.models.real import need_smollm2

ROOT = Path(__file__).resolve().parents[2]


def deskseek(*args, home, **kwargs):
    env = {**os.environ, "DESKSEEK_HOME": str(home)}
    return subprocess.Popen([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def run(*args, home, timeout=60):
    proc = deskseek(*args, home=home)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def this_machines_other_address():
    """A non-loopback address of this machine (no packet is sent), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_help_names_serve_and_its_token_option(tmp_path):
    code, out, _ = run("--help", home=tmp_path)
    assert code == 0 and "deskseek serve" in out and "OpenAI-compatible API" in out
    code, out, _ = run("serve", "--help", home=tmp_path)
    assert code == 0 and "--token" in out and "--host" in out and "--port" in out


def test_serve_loads_prints_url_and_token_answers_and_stops_on_sigterm(tmp_path):
    model = need_smollm2()
    proc = deskseek("serve", "--model", str(model), "--port", "0", "--ctx", "512", home=tmp_path)
    try:
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        assert lines[0].startswith("Serving ") and " at http://127.0.0.1:" in lines[0], lines
        url = lines[0].rstrip().rsplit(" at ", 1)[1]
        token = lines[1].removeprefix("Token: ").strip()
        assert len(token) >= 32  # made with secrets, printed once
        ask = urllib.request.Request(url + "/chat/completions", method="POST", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            data=json.dumps({"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 3}).encode())
        reply = json.load(urllib.request.urlopen(ask, timeout=60))
        assert reply["usage"]["completion_tokens"] >= 1
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "/models", timeout=10)
        assert refused.value.code == 401
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        proc.kill()
        proc.wait()
    assert not list(tmp_path.rglob("*.sqlite3")), "serve opened a history database"


def test_serve_with_a_given_token(tmp_path):
    proc = deskseek("serve", "--model", str(need_smollm2()), "--port", "0", "--ctx", "512",
                    "--token", "my-own-token-123", home=tmp_path)
    try:
        url = proc.stdout.readline().rstrip().rsplit(" at ", 1)[1]
        assert proc.stdout.readline().strip() == "Token: my-own-token-123"
        ask = urllib.request.Request(url + "/models", headers={"Authorization": "Bearer my-own-token-123"})
        assert json.load(urllib.request.urlopen(ask, timeout=10))["data"][0]["object"] == "model"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
    finally:
        proc.kill()
        proc.wait()


def test_a_missing_or_corrupt_model_is_a_sentence(tmp_path):
    code, out, err = run("serve", "--model", str(tmp_path / "nothing.gguf"), "--port", "0", home=tmp_path)
    assert code == 1 and "nothing.gguf does not exist" in err and "Traceback" not in err
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(need_smollm2().read_bytes()[:100_000])
    code, out, err = run("serve", "--model", str(broken), "--port", "0", home=tmp_path)
    assert code == 1 and "broken.gguf" in err and "Traceback" not in err, err


def test_a_port_in_use_is_a_sentence(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run("serve", "--port", str(port), home=tmp_path)
    assert code == 1 and f"Port {port} on 127.0.0.1 is already in use" in err and "Traceback" not in err


def test_not_reachable_from_another_address_unless_host_says_so(tmp_path):
    address = this_machines_other_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    queue, server = scripted_server(EchoBackend())
    try:
        with pytest.raises(OSError):
            socket.create_connection((address, server.port), timeout=2).close()
        assert request(server, "GET", "/v1/models")[0] == 200
        everywhere = start_server(queue, "0.0.0.0", 0, TOKEN)
        try:
            with socket.create_connection((address, everywhere.port), timeout=2):
                pass
            status, _, _ = request(SimpleNamespace(host=address, port=everywhere.port), "GET", "/v1/models", token=None)
            assert status == 401  # reachable, and still only with the token
        finally:
            everywhere.stop()
    finally:
        server.stop()
        queue.close(10)


def test_a_non_loopback_host_is_warned_about(tmp_path):
    address = this_machines_other_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    proc = deskseek("serve", "--model", str(need_smollm2()), "--host", address, "--port", "0", "--ctx", "512",
                    home=tmp_path)
    try:
        assert f"http://{address}:" in proc.stdout.readline()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert f"warning: listening on {address}, so other machines can reach this server" in err
    finally:
        proc.kill()
        proc.wait()
