from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_stop_split_after_its_first_character_is_cut():
    assert run(["Done.\n", "User: more"], ["\nUser:"]) == ("Done.", True)


def test_held_back_start_is_released_at_the_end():
    assert run(["It ends with \nUs"], ["\nUser:"]) == ("It ends with \nUs", False)


def test_the_stop_complete_first_ends_the_text_however_it_was_split():
    # ":" completes before "U::" does: a stream stops there, so a whole delta must cut there too.
    assert run(["U::"], [":", "U::"]) == run(["U", ":", ":"], [":", "U::"]) == ("U", True)


# A small alphabet, so that texts often hold a stop string or its start; and stop strings taken
# from the text itself (then cut short or made longer), so that they often occur in it.
_text = st.text(alphabet="ab\n:U停", max_size=40)
_other_stops = st.lists(st.text(alphabet="ab\n:U停", min_size=1, max_size=5), max_size=2)


@st.composite
def _stop_from(draw, text: str) -> str:
    start = draw(st.integers(0, max(0, len(text) - 1)))
    piece = text[start:start + draw(st.integers(1, 6))] or "U"
    return piece + draw(st.sampled_from(["", "", "a", "停"]))


@settings(max_examples=500, deadline=None)
@given(text=_text, others=_other_stops, data=st.data())
def test_any_chunking_emits_exactly_the_text_before_the_first_stop(text, others, data):
    stops = [data.draw(_stop_from(text))] + others
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)))))
    chunks = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    # The stop string complete first (the one a model's stream would stop at) ends the text.
    hits = [(at + len(s), at) for s in stops if (at := text.find(s)) >= 0]
    expected = text[:min(hits)[1]] if hits else text

    f, out, fed = StopStringFilter(stops), "", ""
    for chunk in chunks:
        out += f.feed(chunk)
        fed += chunk
        if f.stopped:
            break
        # Only what may still become a stop string is held back, and nothing is shown early.
        held = fed[len(out):]
        assert fed.startswith(out) and expected.startswith(out)
        assert held == "" or any(s.startswith(held) and s != held for s in stops)
    else:
        out += f.flush()
    assert f.stopped == bool(hits)
    assert out == expected
