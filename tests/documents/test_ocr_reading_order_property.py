"""lines_in_reading_order on generated pages of OCR boxes (four corners and a text each, in any
order): the page's text comes back exactly. One column: lines top to bottom, words left to right,
Latin words joined by a space and CJK neighbours by nothing. Two columns of prose: band by band
(a title or a centred subtitle across both columns ends the band above it), each band's left
column before its right one. A table or form, a side of fewer than five lines, a gap narrower than a line is high, or a
column under 30% of the text's width: row by row. Then, by name, the cases on each threshold and
edge, which the generators draw seldom or never."""
from hypothesis import assume, given, settings, strategies as st

from app.documents.ocr import lines_in_reading_order

LATIN = ["engine", "model", "a", "I", "x", "GPU", "3.5", "v2-beta", "Rust,", "(note)", "Q"]
CJK = ["深", "度", "深度", "求索", "模型", "推理", "。", "，", "、", "日本語", "かな", "カナ", "한국어", "Ｑ"]
MIXED = ["GPU加速", "加速GPU", "a深", "深a"]
WORDS = LATIN + CJK + MIXED  # every character outside ASCII here is Chinese, Japanese or Korean

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True)


def rect(left, top, right, bottom, turn=0):
    """A box as rapidocr gives it: four corners, clockwise from the top left (or `turn` corners on)."""
    corners = [(left, top), (right, top), (right, bottom), (left, bottom)]
    return corners[turn:] + corners[:turn]


def read(page):
    return lines_in_reading_order([b for b, _ in page], [t for _, t in page]).split("\n")


def joined(words):
    text = words[0]
    for word in words[1:]:
        text += word if not text[-1].isascii() and not word[0].isascii() else " " + word
    return text


def ceil_percent(value, percent):
    return -(-value * percent // 100)


@st.composite
def one_column(draw):
    """Lines of words (some overlapping, some inside another) whose middles lie within one
    another's height, of different heights; a line's middle is outside every box of the next."""
    jitter = draw(st.integers(0, 3))
    low = 4 * jitter + 4  # half of every box's height spans the spread of its line's middles
    x0, y = draw(st.integers(0, 400)), draw(st.integers(0, 400))
    page, lines, previous = [], [], None
    for _ in range(draw(st.integers(1, 14))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=7))
        heights = [draw(st.integers(low, low + 40)) for _ in words]
        half = max(heights) / 2
        centre = y if previous is None else \
            previous[0] + 2 * jitter + max(previous[1], half) + draw(st.integers(1, 40))
        previous = (centre, half)
        x = x0
        for word, height in zip(words, heights):
            middle = centre + draw(st.integers(-jitter, jitter))
            width = draw(st.integers(4, 160))
            text = draw(st.sampled_from(["", " "])) + word + draw(st.sampled_from(["", " "]))
            page.append((rect(x, middle - height / 2, x + width, middle + height / 2, draw(st.integers(0, 3))), text))
            # The next word starts further right, less than a line's height after this one ends (or on it).
            x += width + draw(st.integers(-(width - 1), low - 1))
        lines.append(joined(words))
    # Two columns of prose need five lines a side; with ten boxes or more, none is 60% of the text's
    # width or more (those are taken for lines across both columns, which no gutter needs to clear).
    text_width = max(max(x for x, _ in b) for b, _ in page) - x0
    assume(len(page) < 10 or all(max(x for x, _ in b) - min(x for x, _ in b) < 0.6 * text_width for b, _ in page))
    page += [(rect(x0, y, x0 + 50, y + 10), blank) for blank in draw(st.lists(st.sampled_from(["", " ", "\t"]),
                                                                              max_size=2))]
    return [page[i] for i in draw(st.permutations(range(len(page))))], lines


@PROPERTY
@given(one_column())
def test_one_column_is_read_line_by_line_and_word_by_word(case):
    page, lines = case
    assert read(page) == lines


def column_widths(draw, column, count):
    """`count` line widths for a column of prose: one as wide as the column, at most half of them
    short (a paragraph's last line), the rest at least 72% of the column."""
    short = draw(st.integers(0, count // 2))
    widths = [column] + [draw(st.integers(ceil_percent(column, 72), column)) for _ in range(count - 1 - short)]
    widths += [draw(st.integers(max(4, column // 10), 65 * column // 100)) for _ in range(short)]
    return [widths[i] for i in draw(st.permutations(range(count)))]


def page_geometry(draw):
    """The text's width, its left edge, two columns each of 31% of it or more (one may be twice as
    wide as the other, or more: a main column and a sidebar), the gutter between them, and a line
    height less than it."""
    width = draw(st.integers(600, 1600))
    left_w = draw(st.integers(ceil_percent(width, 31), width - ceil_percent(width, 31) - 12))
    right_w = draw(st.integers(ceil_percent(width, 31), width - left_w - 12))
    gutter = width - left_w - right_w
    return width, draw(st.integers(0, 500)), left_w, gutter, right_w, min(60, gutter - 1)


@st.composite
def two_columns(draw):
    width, x0, left_w, gutter, right_w, tallest = page_geometry(draw)
    sides = []
    for name, left, column in (("left", x0, left_w), ("right", x0 + left_w + gutter, right_w)):
        count = draw(st.integers(5, 12))
        sides.append((name, left, column_widths(draw, column, count)))
    bands = draw(st.integers(1, 3))
    band_of = {name: sorted(draw(st.lists(st.integers(0, bands - 1), min_size=len(w), max_size=len(w))))
               for name, _, w in sides}
    page, expected, y, titles = [], [], draw(st.integers(0, 300)), 0

    def add_titles(least):
        nonlocal y, titles
        for _ in range(draw(st.integers(least, 2))):
            # Across the whole gutter (a line that starts or ends in it narrows it instead): a title
            # of 60% of the text's width or more anywhere, or a subtitle centred on the text.
            if draw(st.booleans()):
                size = draw(st.integers(ceil_percent(width, 60) + 1, width))
                lo = max(x0, x0 + left_w + gutter - size)
                hi = min(x0 + width - size, x0 + left_w)
            else:
                reach = max(x0 + left_w + gutter - x0 - width // 2, x0 + width // 2 - (x0 + left_w)) + 1
                size = draw(st.integers(min(2 * reach, width), width))
                lo = hi = x0 + (width - size) // 2
            left, top = draw(st.integers(lo, hi)), y + draw(st.integers(1, 30))
            y = top + draw(st.integers(8, 80))
            page.append((rect(left, top, left + size, y), f"Title {titles}"))
            expected.append(f"Title {titles}")
            titles += 1

    add_titles(0)
    for band in range(bands):
        if band:
            add_titles(1)
        bottom = y
        for name, left, widths in sides:
            top = y + draw(st.integers(1, 30))
            for n, line_width in enumerate(widths):
                if band_of[name][n] == band:
                    height = draw(st.integers(8, tallest))
                    page.append((rect(left, top, left + line_width, top + height, draw(st.integers(0, 3))),
                                 f"{name} {n}"))
                    expected.append(f"{name} {n}")
                    bottom = max(bottom, top + height)
                    top += height + draw(st.integers(1, 30))
        y = bottom
    add_titles(0)
    return [page[i] for i in draw(st.permutations(range(len(page))))], expected


@PROPERTY
@given(two_columns())
def test_two_columns_of_prose_are_read_band_by_band_left_column_first(case):
    page, expected = case
    assert read(page) == expected


@st.composite
def not_columns(draw):
    """Rows of a left and a right cell (or only one), read row by row because the two columns are
    not both prose of five lines or more, with a gutter wider than a line is high between columns
    of 30% of the text's width or more."""
    kind = draw(st.sampled_from(["table", "few lines", "narrow gap", "narrow column"]))
    width, x0, left_w, gutter, right_w, tallest = page_geometry(draw)
    jitter = draw(st.integers(0, 3))
    low = 4 * jitter + 4
    counts = [draw(st.integers(5, 10)), draw(st.integers(5, 10))]
    widths = [[left_w] * counts[0], [right_w] * counts[1]]  # prose unless made otherwise below
    if kind == "table":  # most cells of one side, or both, short: the median under 70% of the column
        for side in draw(st.sampled_from([[0], [1], [0, 1]])):
            column, n = (left_w, right_w)[side], counts[side]
            full = draw(st.integers(1, n - n // 2 - 1))
            widths[side] = [column] * full + [draw(st.integers(max(4, column // 10), 65 * column // 100))
                                              for _ in range(n - full)]
    elif kind == "few lines":
        side = draw(st.integers(0, 1))
        counts[side] = draw(st.integers(1, 4))
        widths[side] = widths[side][:counts[side]]
    elif kind == "narrow gap":  # every line higher than the gap; the columns' widths within 2:3
        gutter = draw(st.integers(0, low - 1))
        right_w = draw(st.integers(ceil_percent(left_w, 70), 100 * left_w // 70))
        widths = [[left_w] * counts[0], [right_w] * counts[1]]
    else:  # one column under 30% of the text's width: the gutter's middle may be outside the middle half
        narrow = draw(st.integers(ceil_percent(width, 5), 28 * width // 100))
        gutter = draw(st.integers(tallest + 1, max(tallest + 1, width // 8)))
        wide = width - narrow - gutter
        left_w, right_w = draw(st.sampled_from([(narrow, wide), (wide, narrow)]))
        widths = [[left_w] * counts[0], [right_w] * counts[1]]
    tallest = low + 30
    rows = max(counts)
    present = [sorted(draw(st.permutations(range(rows)))[:count]) for count in counts]
    page, expected, centre = [], [], draw(st.integers(0, 300))
    previous_half = 0
    for row in range(rows):
        cells = [(side, present[side].index(row)) for side in (0, 1) if row in present[side]]
        heights = [draw(st.integers(low, tallest)) for _ in cells]
        half = max(heights) / 2
        centre += 2 * jitter + max(previous_half, half) + draw(st.integers(1, 30))
        previous_half = half
        for (side, n), height in zip(cells, heights):
            left = x0 if side == 0 else x0 + left_w + gutter
            middle = centre + draw(st.integers(-jitter, jitter))
            page.append((rect(left, middle - height / 2, left + widths[side][n], middle + height / 2),
                         f"{'LR'[side]}{n}"))
        expected.append(" ".join(f"{'LR'[side]}{n}" for side, n in cells))
    return [page[i] for i in draw(st.permutations(range(len(page))))], expected, kind


@PROPERTY
@given(not_columns())
def test_tables_and_pages_that_are_not_two_columns_of_prose_are_read_row_by_row(case):
    page, expected, _ = case
    assert read(page) == expected


# ---- By name: each threshold and edge, exactly. Lines 30 high, 40 apart, from y=100 (right column 5 lower).

def column(name, left, rights, top=100):
    """Lines `name`0, `name`1, ... of one column, left-aligned at `left`, ending at `rights`."""
    return [(rect(left, top + 40 * n, right, top + 30 + 40 * n), f"{name}{n}") for n, right in enumerate(rights)]


def columns_read(left, right):
    return [text for _, text in left] + [text for _, text in right]


def rows_read(left, right):
    return [f"{a} {b}" for (_, a), (_, b) in zip(left, right)]


def test_a_line_ending_inside_the_gutter_narrows_it_and_is_read_in_the_left_column():
    # Gutter 570..630. L2 is 600 wide (60% of the text: wide enough for a title) and ends inside it:
    # the gutter is 600..630, still as wide as a line is high; a pixel more and it is no gutter.
    left = column("L", 0, [570, 570, 600, 570, 570])
    right = column("R", 630, [1000] * 5, top=105)
    assert read(left + right) == columns_read(left, right)
    title = [(rect(0, 320, 1000, 350), "Across")]
    assert read(title + left + right) == columns_read(left, right) + ["Across"]
    left = column("L", 0, [570, 570, 601, 570, 570])
    assert read(left + right) == rows_read(left, right)


def test_a_line_starting_inside_the_gutter_narrows_it_and_is_read_in_the_right_column():
    # Gutter 370..430. R2 is 600 wide and starts inside it: the gutter is 370..400; then 370..399.
    def right_column(start):
        return [(rect(start if n == 2 else 430, b[0][1], 1000, b[2][1]), t) for n, (b, t) in
                enumerate(column("R", 0, [0] * 5, top=105))]
    left, right = column("L", 0, [370] * 5), right_column(400)
    assert read(left + right) == columns_read(left, right)
    title = [(rect(0, 320, 1000, 350), "Across")]
    assert read(title + left + right) == columns_read(left, right) + ["Across"]
    right = right_column(399)
    assert read(left + right) == rows_read(left, right)


def test_a_line_spanning_the_whole_gutter_is_read_across_both_columns_one_ending_inside_it_is_not():
    # Gutter 570..630: a line of 0..630 spans it and ends the band above it, as a title does; one of
    # 0..629 ends inside it and leaves 629..630, narrower than a line is high: no gutter, rows.
    left = [(rect(0, y, 570, y + 30), f"L{n}") for n, y in enumerate([100, 140, 220, 260, 300])]
    right = column("R", 630, [1000] * 5, top=105)
    page = left + [(rect(0, 180, 630, 210), "Across")] + right
    assert read(page) == ["L0", "L1", "R0", "R1", "Across", "L2", "L3", "L4", "R2", "R3", "R4"]
    page = left + [(rect(0, 180, 629, 210), "Across")] + right
    assert read(page) == ["L0 R0", "L1 R1", "Across R2", "L2 R3", "L3 R4", "L4"]


def test_a_title_of_exactly_60_percent_of_the_width_does_not_hide_the_gutter():
    # A line of 60% of the text's width or more that spans the gutter is a title; a narrower one
    # across the gutter, off the text's middle (300 against 500), hides it.
    left, right = column("L", 0, [470] * 5), column("R", 530, [1000] * 5, top=105)
    assert read([(rect(0, 20, 600, 50), "Title")] + left + right) == ["Title"] + columns_read(left, right)
    assert read([(rect(0, 20, 599, 50), "Title")] + left + right) == ["Title"] + rows_read(left, right)


def test_a_centred_subtitle_alone_on_its_line_does_not_hide_the_gutter():
    """A subtitle of 20% of the text's width, across the gutter, with its middle up to 5% of the
    width off the text's middle (500 ± 50), between two bands of columns: the columns are read band
    by band. One more pixel off the middle, or a line beside it, and it hides the gutter."""
    left, right = column("L", 0, [470] * 10), column("R", 530, [1000] * 10, top=105)
    for n in range(5, 10):  # the second band 60 lower, under the subtitle (290..320)
        left[n] = (rect(0, 100 + 40 * n + 60, 470, 130 + 40 * n + 60), left[n][1])
        right[n] = (rect(530, 105 + 40 * n + 60, 1000, 135 + 40 * n + 60), right[n][1])
    for start in (350, 400, 450):  # middles 450, 500, 550
        page = left + right + [(rect(start, 305, start + 200, 335), "Subtitle")]
        assert read(page) == columns_read(left[:5], right[:5]) + ["Subtitle"] + columns_read(left[5:], right[5:])
    for start in (349, 451):
        page = left + right + [(rect(start, 305, start + 200, 335), "Subtitle")]
        assert read(page) != columns_read(left[:5], right[:5]) + ["Subtitle"] + columns_read(left[5:], right[5:])
        assert "L0 R0" in read(page)
    page = left + right + [(rect(400, 305, 600, 335), "Subtitle"), (rect(0, 305, 100, 335), "beside")]
    assert "L0 R0" in read(page)


def test_a_line_beside_the_subtitle_is_one_whose_middle_is_within_its_height_or_that_covers_its_middle():
    """The subtitle of the test above (305..335, its middle 320) and a short line of the left
    column: beside it, and so hiding the gutter (rows read), exactly when that line's middle is
    within 305..335 or the line covers 320, edges included; a pixel off, the columns are read."""
    left, right = column("L", 0, [470] * 10), column("R", 530, [1000] * 10, top=105)
    for n in range(5, 10):
        left[n] = (rect(0, 100 + 40 * n + 60, 470, 130 + 40 * n + 60), left[n][1])
        right[n] = (rect(530, 105 + 40 * n + 60, 1000, 135 + 40 * n + 60), right[n][1])
    subtitle = (rect(400, 305, 600, 335), "Subtitle")
    beside = [(321, 349),  # its middle 335: on the subtitle's bottom edge
              (291, 319),  # its middle 305: on the top edge
              (250, 320),  # its middle 285 is not, but it reaches down to 320
              (320, 390)]  # its middle 355 is not, but it starts at 320
    for top, bottom in beside:
        assert "L0 R0" in read(left + right + [subtitle, (rect(0, top, 100, bottom), "beside")]), (top, bottom)
    for top, bottom in [(322, 350), (290, 318), (250, 319), (321, 390)]:  # a pixel off each
        assert "L0 R0" not in read(left + right + [subtitle, (rect(0, top, 100, bottom), "beside")]), (top, bottom)


def test_a_main_column_of_60_percent_or_more_keeps_its_gutter_on_either_side():
    """A main column twice as wide as a sidebar (its lines 62% of the text), left or right of it,
    with a title across both: the title, the left column, the right one."""
    main, side = column("M", 0, [620] * 5), column("S", 700, [1000] * 5, top=105)
    title = [(rect(0, 20, 1000, 50), "Title")]
    assert read(title + main + side) == ["Title"] + columns_read(main, side)
    side, main = column("S", 0, [300] * 5), column("M", 380, [1000] * 5, top=105)
    assert read(title + side + main) == ["Title"] + columns_read(side, main)


def test_a_title_is_placed_by_its_middle_not_its_top_edge():
    """The mirror of test_ocr's tall title: this one starts above L4 (top 255 against 260) but its
    middle (290) is below L4's (275), so L4 ends the band above it."""
    left, right = column("L", 10, [410] * 7), column("R", 510, [910] * 7)
    left[5:] = [(rect(10, y, 410, y + 30), t) for y, (_, t) in zip([330, 370], left[5:])]
    right[5:] = [(rect(510, y, 910, y + 30), t) for y, (_, t) in zip([330, 370], right[5:])]
    page = left + right + [(rect(10, 255, 910, 325), "Title")]
    assert read(page) == columns_read(left[:5], right[:5]) + ["Title"] + columns_read(left[5:], right[5:])


def test_a_wide_title_over_a_block_on_the_right_half_only_is_read_top_to_bottom():
    # The only gap (0..600) has no line left of it: one column.
    page = [(rect(0, 20, 1000, 50), "Title")] + column("R", 600, [900] * 6)
    assert read(page) == ["Title"] + [f"R{n}" for n in range(6)]


def test_a_gutter_exactly_as_wide_as_a_line_is_high_parts_the_columns():
    left, right = column("L", 0, [400] * 5), column("R", 430, [830] * 5, top=105)
    assert read(left + right) == columns_read(left, right)


def test_a_gutter_wider_than_the_short_lines_but_not_the_median_one_is_no_gutter():
    # Left lines 20 high, right ones 40 high, 30 apart: the median height is 40.
    left = [(rect(0, 90 + 60 * n, 400, 110 + 60 * n), f"L{n}") for n in range(6)]
    right = [(rect(430, 80 + 60 * n, 830, 120 + 60 * n), f"R{n}") for n in range(6)]
    assert read(left + right) == rows_read(left, right)


def test_two_columns_of_exactly_five_lines_each():
    left, right = column("L", 0, [400] * 5), column("R", 460, [860] * 5, top=105)
    assert read(left + right) == columns_read(left, right)


def test_a_column_of_exactly_30_percent_of_the_texts_width():
    left, right = column("L", 0, [300] * 5), column("R", 410, [1000] * 5, top=105)
    assert read(left + right) == columns_read(left, right)


def test_a_column_a_pixel_narrower_than_30_percent_is_read_row_by_row():
    left, right = column("L", 0, [299] * 5), column("R", 409, [1000] * 5, top=105)
    assert read(left + right) == rows_read(left, right)


def test_a_column_whose_median_line_is_exactly_70_percent_of_it_is_prose():
    left, right = column("L", 0, [280, 400, 280, 400, 280]), column("R", 460, [860] * 5, top=105)
    assert read(left + right) == columns_read(left, right)


def test_a_column_with_three_short_lines_in_seven_is_prose():
    left, right = column("L", 0, [400, 100, 400, 100, 400, 100, 400]), column("R", 460, [860] * 5, top=105)
    assert read(left + right) == columns_read(left, right)


def test_a_gutter_left_of_the_pages_middle():
    left, right = column("L", 0, [330] * 5), column("R", 410, [1000] * 5, top=105)
    assert read(left + right) == columns_read(left, right)


def split_row(lines, n, first, second):
    """The column `lines` with line n in two boxes, first=(left, right) and second=(left, right),
    and the text it reads as: line n's two halves joined by a space."""
    (box, text) = lines[n]
    top, bottom = box[0][1], box[2][1]
    halves = [(rect(first[0], top, first[1], bottom), f"{text}a"),
              (rect(second[0], top, second[1], bottom), f"{text}b")]
    return lines[:n] + halves + lines[n + 1:], [f"{t}a {t}b" if i == n else t for i, (_, t) in enumerate(lines)]


def test_a_wider_gap_outside_the_middle_half_of_the_text_is_not_the_gutter():
    """Left column of lines 650 wide (64% of 1010: wide enough to span a gap) and one line in two
    boxes around a gap wider than the gutter (650..700) but with its middle left of 252.5 (a quarter
    of the width) or on it; then the same on the right."""
    right = column("R", 700, [1010] * 5, top=105)
    for first, second in [((0, 180), (270, 650)), ((0, 205), (300, 650))]:  # middles 225 and 252.5
        left, left_text = split_row(column("L", 0, [650] * 5), 2, first, second)
        assert read(left + right) == left_text + [t for _, t in right]
    left = column("L", 0, [310] * 5)
    for first, second in [((360, 740), (830, 1010)), ((360, 710), (805, 1010))]:  # middles 785 and 757.5
        right, right_text = split_row(column("R", 360, [1010] * 5, top=105), 2, first, second)
        assert read(left + right) == [t for _, t in left] + right_text


def test_of_two_gaps_the_wider_is_the_gutter_and_of_two_as_wide_the_first():
    """Right column of lines 600 wide (60% of the text: wide enough to span a gap), one line in
    two boxes around a second gap in the middle half, as wide as the gutter (320..400) or narrower;
    then a narrower gap first (in the 665 wide left column) and the gutter after it."""
    left = column("L", 0, [320] * 5)
    for first, second in [((400, 520), (600, 1000)), ((400, 550), (600, 1000))]:
        right, right_text = split_row(column("R", 400, [1000] * 5, top=105), 2, first, second)
        assert read(left + right) == [t for _, t in left] + right_text
    left, left_text = split_row(column("L", 0, [665] * 5), 2, (0, 400), (480, 665))
    right = column("R", 765, [1100] * 5, top=105)
    assert read(left + right) == left_text + [t for _, t in right]


def test_of_two_strips_whose_sides_are_both_prose_the_wider_is_the_gutter():
    """A note (440..480) on L2's line, between a left column (0..400) and a right one (560..1000):
    the strips 400..440 and 480..560 both part two columns of prose; the wider is the gutter, so
    the note is read on its line of the left column, not before R2."""
    left, right = column("L", 0, [400] * 6), column("R", 560, [1000] * 6, top=105)
    note = [(rect(440, 180, 480, 210), "note")]
    assert read(left + note + right) == ["L0", "L1", "L2 note", "L3", "L4", "L5"] + [t for _, t in right]


def test_a_wider_strip_whose_sides_are_not_prose_gives_way_to_the_gutter():
    """A title starting at 400, over a main column (lines 0..620, one short line ending at 250) and a
    sidebar (700..1000): the strip 250..400 (under the main column's other lines) is wider than the
    gutter 620..700, but left of its middle lies only the short line; the gutter is next."""
    main = column("M", 0, [620, 620, 250, 620, 620, 620])
    side = column("S", 700, [1000] * 5, top=105)
    title = [(rect(400, 20, 1000, 50), "Title")]
    assert read(title + main + side) == ["Title"] + columns_read(main, side)


def test_a_word_set_larger_on_the_same_baseline_is_on_the_line():
    # "Total" 100 high, "due" 29 high on (nearly) its bottom: their middles 50 and 84.5, within "Total".
    assert read([(rect(210, 70, 260, 99), "due"), (rect(0, 0, 200, 100), "Total")]) == ["Total due"]


def test_a_box_whose_middle_a_taller_ones_is_not_within_is_a_line_above_it():
    """Lines go by middles: "note" (20..40, middle 30) starts the line; the tall box's middle (50)
    is not within it, so the tall box starts the next line, although its top edge is higher."""
    assert read([(rect(0, 0, 200, 100), "Tall"), (rect(210, 20, 260, 40), "note")]) == ["note", "Tall"]


def test_a_box_whose_middle_is_on_the_bottom_edge_of_the_lines_first_box_is_on_the_line():
    assert read([(rect(100, 100, 200, 160), "b"), (rect(0, 100, 90, 130), "a")]) == ["a b"]


def test_overlapping_boxes_on_a_line_are_read_by_their_left_edges():
    page = [(rect(50, 2, 150, 28), "inner"), (rect(0, 0, 300, 30), "outer"), (rect(280, 0, 400, 30), "after")]
    assert read(page) == ["outer inner after"]


def test_single_characters_join_without_a_space_only_between_cjk_ones():
    texts = ["深", "度", "a", "求", "索", "b", "c", "模"]
    page = [(rect(40 * n, 0, 40 * n + 30, 30), t) for n, t in enumerate(texts)]
    assert read(page[::-1]) == ["深度 a 求索 b c 模"]
    page = [(rect(0, 0, 100, 30), "a深"), (rect(110, 0, 200, 30), "度b"), (rect(210, 0, 300, 30), "求")]
    assert read(page) == ["a深度b 求"]
