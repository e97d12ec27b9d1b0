from runtime.stop_strings import StopStringFilter


def run(chunks, stops):
    f = StopStringFilter(stops)
    out = ""
    for c in chunks:
        out += f.feed(c)
        if f.stopped:
            return out, True
    return out + f.flush(), False


def test_no_stops_is_passthrough():
    assert run(["a", "b"], []) == ("ab", False)


def test_stop_split_across_chunks_is_cut():
    assert run(["Sure.\nUs", "er: next"], ["\nUser:"]) == ("Sure.", True)


def test_near_miss_is_released():
    assert run(["a\nUs", "ually fine"], ["\nUser:"]) == ("a\nUsually fine", False)


def test_earliest_stop_wins():
    assert run(["x END y STOP"], ["STOP", "END"]) == ("x ", True)
