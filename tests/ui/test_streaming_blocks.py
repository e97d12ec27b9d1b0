"""While a reply streams, prose after a code block is drawn as prose, however the text was cut
into deltas (a closed fence without its newline at the end of one delta was the trap)."""
import pytest

from app.ui.message_view import MessageView

REPLY = ("Text\n```python\nx = 1\n```\nAfter without blank lines.\n```python\ny\n```\nAfter again.\n\n"
         "```\nz\n```\n\nLast words.")
PROSE = ("Text", "After", "Last")


def drawn_as_code(view: MessageView) -> list[str]:
    """Prose blocks whose format paints a background (a code block's)."""
    wrong = []
    block = view.body.document().begin()
    while block.isValid():
        if block.text().startswith(PROSE) and block.blockFormat().background().style().name != "NoBrush":
            wrong.append(block.text())
        block = block.next()
    return wrong


def stream(qtbot, pieces) -> MessageView:
    view = MessageView("assistant", "", streaming=True)
    qtbot.addWidget(view)
    for piece in pieces:
        view.append(piece)
        assert drawn_as_code(view) == [], (pieces, piece)
    return view


def test_a_closed_fence_at_the_end_of_a_delta(qtbot):
    pieces = ["Text\n```python\nx = 1\n", "```\nAfter without blank lines.\n```", "python\ny\n```", "\nAft",
              "er again.\n\n```\nz\n```", "\n\nLast words."]
    view = stream(qtbot, pieces)
    view.finish()
    assert drawn_as_code(view) == [] and view.text == REPLY


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 11])
def test_every_delta_size(qtbot, size):
    stream(qtbot, [REPLY[i:i + size] for i in range(0, len(REPLY), size)])


def test_every_cut_into_three_deltas(qtbot):
    for cut in range(1, len(REPLY) - 1, 3):
        stream(qtbot, [REPLY[:cut], REPLY[cut:cut + 9], REPLY[cut + 9:]])
