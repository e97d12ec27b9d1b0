"""Downloads against the fake Hub on 127.0.0.1: real HTTP, the 302 to its CDN, Range, faults."""
import hashlib
import threading
import time

import pytest

from app.models import disk
from app.models.download import DownloadControl, download_file
from app.models.download_errors import (ChecksumError, ConnectionLostError, DiskSpaceError, DownloadError,
                                        DownloadStopped)
from app.models.errors import HubError
from app.models.partial import part_path, sidecar_path
from app.models.pull import PullRequest, pull
from app.models.download_source import locate_source
from app.models.hub import HubClient
from runtime.default_model import FILENAME, default_model_path
from runtime.modelfile import inspect
from tests.hubfake import SMOLLM2_REPO

FAST_RETRIES = (0.05, 0.05, 0.05)


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def smollm2_request(hub, root, **kw) -> PullRequest:
    return PullRequest.for_file(SMOLLM2_REPO, FILENAME, hub.url, root, **kw)


def cdn_ranges(hub) -> list[str | None]:
    return [r.range for r in hub.requests if r.server == "cdn" and r.method == "GET"]


def leftovers(dest) -> list:
    return [p for p in (dest, part_path(dest), sidecar_path(dest)) if p.exists()]


def test_happy_path_is_verified_moved_into_place_and_opens(smollm2_hub, tmp_path):
    seen = []
    path = pull(smollm2_request(smollm2_hub, tmp_path), on_progress=seen.append)
    assert path == tmp_path / SMOLLM2_REPO / FILENAME
    assert sha256(path) == sha256(default_model_path())
    assert leftovers(path) == [path]  # no .part, no sidecar
    assert inspect(str(path)).arch == "llama"
    assert seen[-1].done == seen[-1].total == path.stat().st_size
    assert smollm2_hub.bytes_served("cdn") == path.stat().st_size


def test_a_connection_cut_mid_file_resumes_by_range(smollm2_hub, tmp_path):
    smollm2_hub.faults.cut_after(30 << 20, times=1)
    path = pull(smollm2_request(smollm2_hub, tmp_path), retry_delays=FAST_RETRIES)
    size = path.stat().st_size
    assert sha256(path) == sha256(default_model_path())
    ranges = cdn_ranges(smollm2_hub)
    assert len(ranges) == 2 and ranges[1] == f"bytes={30 << 20}-"
    assert smollm2_hub.bytes_served("cdn") == size  # the cut-off part was not fetched twice


def test_an_expired_cdn_link_is_asked_for_again(smollm2_hub, tmp_path):
    client = HubClient(smollm2_hub.url, token=False)

    def ask():
        return locate_source(client, SMOLLM2_REPO, FILENAME)

    remote = ask()
    smollm2_hub.faults.expire_urls()  # the signed link of that answer is no good any more
    path = download_file(remote, tmp_path / FILENAME, refresh=ask,
                         retry_delays=FAST_RETRIES)
    assert sha256(path) == sha256(default_model_path())
    assert [r.status for r in smollm2_hub.requests if r.server == "cdn"] == [403, 200]


def test_a_corrupted_byte_deletes_everything_and_says_so(smollm2_hub, tmp_path):
    smollm2_hub.faults.corrupt(offset=12345)
    request = smollm2_request(smollm2_hub, tmp_path)
    with pytest.raises(ChecksumError, match="failed its checksum .* the damaged download was deleted"):
        pull(request)
    assert leftovers(request.first_path) == []


def test_missing_repository_revision_and_file_are_sentences(smollm2_hub, tmp_path):
    with pytest.raises(HubError, match=r"the repository nobody/nothing does not exist on 127.0.0.1:\d+"):
        pull(PullRequest.for_file("nobody/nothing", "x.gguf", smollm2_hub.url, tmp_path))
    with pytest.raises(HubError, match="has no file nope.gguf"):
        pull(PullRequest.for_file(SMOLLM2_REPO, "nope.gguf", smollm2_hub.url, tmp_path))
    with pytest.raises(HubError, match="has no such revision"):
        pull(smollm2_request(smollm2_hub, tmp_path, revision="v9"))
    assert not (tmp_path / "nobody").exists()


def test_server_gone_before_the_start(smollm2_hub, tmp_path):
    url = smollm2_hub.url
    smollm2_hub.stop()
    with pytest.raises(HubError, match=r"127.0.0.1:\d+ cannot be reached"):
        pull(PullRequest.for_file(SMOLLM2_REPO, FILENAME, url, tmp_path))


def wait_for_part(dest, at_least: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not (part_path(dest).exists() and part_path(dest).stat().st_size >= at_least):
        assert time.monotonic() < deadline, "the download did not start"
        time.sleep(0.02)


def test_server_gone_mid_file_keeps_the_partial_and_a_later_run_continues(smollm2_hub, tmp_path):
    request = smollm2_request(smollm2_hub, tmp_path)
    smollm2_hub.faults.throttle(20e6)
    errors = []
    worker = threading.Thread(target=lambda: errors.append(_catch(pull, request, retry_delays=FAST_RETRIES)))
    worker.start()
    wait_for_part(request.first_path, 5 << 20)
    smollm2_hub.stop()
    worker.join(30)
    assert isinstance(errors[0], ConnectionLostError)
    assert "could not be resumed" in str(errors[0]) and "The partial file is kept" in str(errors[0])
    have = part_path(request.first_path).stat().st_size
    assert have > 0 and sidecar_path(request.first_path).exists() and not request.first_path.exists()

    smollm2_hub.restart()
    smollm2_hub.faults.clear()
    smollm2_hub.reset_log()
    path = pull(request)
    assert sha256(path) == sha256(default_model_path())
    assert smollm2_hub.bytes_served("cdn") == path.stat().st_size - have


def _catch(fn, *args, **kw):
    try:
        return fn(*args, **kw)
    except BaseException as exc:  # noqa: BLE001 - the test looks at it
        return exc


def test_pause_keeps_the_partial_and_resume_fetches_only_the_rest(smollm2_hub, tmp_path):
    request = smollm2_request(smollm2_hub, tmp_path)
    smollm2_hub.faults.throttle(20e6)
    control = DownloadControl()
    result = []
    worker = threading.Thread(target=lambda: result.append(_catch(pull, request, control)))
    worker.start()
    wait_for_part(request.first_path, 3 << 20)
    control.pause()
    worker.join(30)
    assert isinstance(result[0], DownloadStopped) and result[0].reason == "pause"
    have = part_path(request.first_path).stat().st_size
    assert have >= 3 << 20
    smollm2_hub.faults.clear()
    smollm2_hub.reset_log()
    path = pull(request)
    assert sha256(path) == sha256(default_model_path())
    assert cdn_ranges(smollm2_hub) == [f"bytes={have}-"]


def test_cancel_deletes_the_partial(smollm2_hub, tmp_path):
    request = smollm2_request(smollm2_hub, tmp_path)
    smollm2_hub.faults.throttle(20e6)
    control = DownloadControl()
    result = []
    worker = threading.Thread(target=lambda: result.append(_catch(pull, request, control)))
    worker.start()
    wait_for_part(request.first_path, 1 << 20)
    control.cancel()
    worker.join(30)
    assert isinstance(result[0], DownloadStopped) and result[0].reason == "cancel"
    assert leftovers(request.first_path) == []


def test_a_file_changed_on_the_hub_starts_over(smollm2_hub, tmp_path):
    request = smollm2_request(smollm2_hub, tmp_path)
    dest = request.first_path
    dest.parent.mkdir(parents=True)
    part_path(dest).write_bytes(b"x" * 1000)  # left by a run for an older version of the file
    sidecar_path(dest).write_text('{"repo": "%s", "path": "%s", "size": 5000, "sha256": "%s", "commit": "old"}'
                                  % (SMOLLM2_REPO, FILENAME, "0" * 64))
    path = pull(request)
    assert sha256(path) == sha256(default_model_path())
    assert cdn_ranges(smollm2_hub) == [None]  # from zero, no Range


def test_the_token_goes_to_the_hub_and_never_to_the_cdn(fake_hub, tmp_path):
    fake_hub.add_smollm2(gated="manual")
    fake_hub.tokens.add("hf_secret")
    with pytest.raises(HubError, match="is gated"):
        pull(smollm2_request(fake_hub, tmp_path))
    fake_hub.reset_log()
    path = pull(smollm2_request(fake_hub, tmp_path, token="hf_secret"))
    assert sha256(path) == sha256(default_model_path())
    hub_calls = [r for r in fake_hub.requests if r.server == "hub"]
    cdn_calls = [r for r in fake_hub.requests if r.server == "cdn"]
    assert hub_calls and all(r.authorization for r in hub_calls)
    assert cdn_calls and not any(r.authorization for r in cdn_calls)
    assert "hf_secret" not in repr(smollm2_request(fake_hub, tmp_path, token="hf_secret"))


def test_not_enough_space_is_refused_before_a_byte_with_the_numbers(smollm2_hub, tmp_path, monkeypatch):
    monkeypatch.setattr(disk, "free_bytes", lambda folder: 50 * 2**20)
    request = smollm2_request(smollm2_hub, tmp_path)
    with pytest.raises(DiskSpaceError, match=r"93.8 MiB still to download \(\+ 64.0 MiB kept free\), and .* has 50.0 MiB free"):
        pull(request)
    assert smollm2_hub.bytes_served("cdn") == 0 and leftovers(request.first_path) == []


@pytest.fixture
def small_tmpfs(tmp_path):
    import subprocess

    folder = tmp_path / "tmpfs"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_disk_that_fills_up_mid_file_stops_with_a_sentence_and_keeps_the_partial(
        smollm2_hub, small_tmpfs, monkeypatch):
    monkeypatch.setattr(disk, "free_bytes", lambda folder: 2**40)  # the probe is wrong; the disk is not
    request = smollm2_request(smollm2_hub, small_tmpfs)
    with pytest.raises(DiskSpaceError, match=r"is full: the download stopped at [\d.]+ MiB of 93.8 MiB. "
                                             r"The partial file .* is kept"):
        pull(request)
    assert part_path(request.first_path).stat().st_size > 4 << 20
    assert not request.first_path.exists()


def test_two_downloads_of_one_file_never_write_it_together(smollm2_hub, tmp_path):
    request = smollm2_request(smollm2_hub, tmp_path)
    smollm2_hub.faults.throttle(20e6)
    control = DownloadControl()
    result = []
    worker = threading.Thread(target=lambda: result.append(_catch(pull, request, control)))
    worker.start()
    try:
        wait_for_part(request.first_path, 1 << 20)
        with pytest.raises(DownloadError, match="already being downloaded by another DeskSeek process"):
            pull(request)
    finally:
        control.pause()
        worker.join(30)
    assert isinstance(result[0], DownloadStopped) and part_path(request.first_path).exists()
