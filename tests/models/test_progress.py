"""The progress meter: few reports, a rate over the last seconds, a time left from it."""
from app.models.progress import ProgressMeter


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_rate_and_time_left_and_few_reports():
    clock, seen = Clock(), []
    meter = ProgressMeter(1000, seen.append, report_every=0.25, clock=clock)
    for i in range(1, 11):  # 10 bytes every 0.1 s: 100 B/s
        clock.t += 0.1
        meter.update(10 * i)
    assert 3 <= len(seen) <= 5  # every 0.25 s, not every chunk
    last = meter.snapshot()
    assert last.done == 100 and abs(last.rate - 100) < 1e-6
    assert abs(last.eta - 9.0) < 1e-6  # 900 bytes left at 100 B/s


def test_rate_forgets_old_samples_so_a_stall_shows():
    clock = Clock()
    meter = ProgressMeter(10_000, None, clock=clock)
    meter.update(0)
    clock.t += 1
    meter.update(5000)  # fast at first
    for _ in range(10):  # then nothing for 10 s
        clock.t += 1
        meter.update(5000)
    assert meter.snapshot().rate == 0.0 and meter.snapshot().eta is None


def test_finished_has_no_time_left():
    meter = ProgressMeter(10, None)
    meter.update(10, force=True)
    assert meter.snapshot().eta == 0.0 and meter.snapshot().fraction == 1.0


def test_sizes_read_as_a_download_shows_them():
    from app.models.progress import format_bytes

    assert [format_bytes(n) for n in (512, 300 * 1024, 98_000_000, 4.07 * 2**30, 405 * 2**30)] == [
        "512 B", "300 KiB", "93.5 MiB", "4.07 GiB", "405.0 GiB"]
