"""Times as text are UTC whatever the computer's zone, to the last second an import accepts."""
import time

import pytest

from app.store.ids import from_epoch


@pytest.fixture
def east_of_utc(monkeypatch):
    """The zone of most Chinese users, 8 hours ahead: local time reaches the year 10000 first."""
    monkeypatch.setenv("TZ", "CST-8")  # POSIX form: needs no zone files
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_epoch_seconds_become_utc_text_in_any_zone(east_of_utc):
    assert time.localtime(0).tm_hour == 8  # the zone is in effect
    assert from_epoch(1_700_000_000.5) == "2023-11-14T22:13:20.500000+00:00"
    assert from_epoch(253402300799) == "9999-12-31T23:59:59.000000+00:00"  # the last second imports keep


def test_ids_made_in_one_millisecond_still_sort_in_the_order_they_were_made():
    """Messages are ordered by id where times tie: ten thousand ids in a tight loop (many share a
    millisecond, whose random part is random) strictly increase, none repeated."""
    from app.store.ids import new_id

    ids = [new_id() for _ in range(10_000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
