from app.markdown_render import StreamingMarkdown, code_blocks, render_markdown, stable_prefix_length


def test_code_is_highlighted_with_inline_styles():
    html = render_markdown("```python\ndef f():\n    return 1\n```")
    assert "<pre" in html and 'style="' in html and "def" in html


def test_tables_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert '<table border="1"' in html and "<td>1</td>" in html


def test_raw_html_is_shown_as_text():
    html = render_markdown('<script>alert(1)</script> and <img src=x onerror="alert(2)">')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_chinese_passes_through():
    assert "<strong>你好</strong>，世界" in render_markdown("**你好**，世界")


def test_stable_prefix_stops_before_an_open_fence():
    text = "Intro.\n\n```python\nx = 1\n\ny = 2\n"
    assert text[: stable_prefix_length(text)] == "Intro.\n\n"


def test_closed_fence_becomes_stable():
    text = "```\ncode\n```\nafter"
    assert text[: stable_prefix_length(text)] == "```\ncode\n```\n"


def test_streaming_equals_whole_render_in_content():
    reply = "# Title\n\nSome *text*.\n\n```python\nprint('hi')\n```\n\n- a\n- b\n"
    sm = StreamingMarkdown(copy_links=True)
    stable = []
    for ch in reply:
        new, _tail = sm.append(ch)
        stable.append(new)
    stable.append(sm.finish())
    joined = "".join(stable)
    for needle in ("<h1>Title</h1>", "<em>text</em>", "print", "<li>a</li>", 'href="copy-code:0"'):
        assert needle in joined
    assert sm.code_texts == ["print('hi')"]


def test_copy_links_and_code_text_round_trip():
    text = "Two snippets:\n\n```python\nif a < b:\n    print('x & y')\n```\n\nand\n\n```\nls -la\n```\n"
    html = render_markdown(text, copy_links=True)
    assert 'href="copy-code:0"' in html and 'href="copy-code:1"' in html
    assert code_blocks(html) == ["if a < b:\n    print('x & y')", "ls -la"]


def test_citations_of_given_sources_link_outside_code_only():
    text = ("The code is 7421 [2]; rent [1, 3] and [9].\n\n`[1]` and a link [docs](https://x.org/[1]).\n\n"
            "```\nx = a[1]\n```\n\n| col |\n|---|\n| see [1] |\n")
    html = render_markdown(text, copy_links=True, sources=3)
    assert '<a href="source:2">[2]</a>' in html
    assert '[<a href="source:1">1</a>, <a href="source:3">3</a>]' in html
    assert "[9]" in html and "source:9" not in html  # no passage 9: plain text
    assert html.count('href="source:1"') == 2  # in prose and in the table, not in code or the link
    assert code_blocks(html) == ["x = a[1]"]
    assert "source:" not in render_markdown(text)  # without sources nothing links
    assert render_markdown("[1] <b>[2]</b>", sources=2).count("source:") == 2  # escaped tags are text


def test_citations_link_while_streaming_too():
    sm = StreamingMarkdown(copy_links=True, sources=1)
    _new, tail = sm.append("As [1] says")
    assert '<a href="source:1">[1]</a>' in tail
    sm.append(", and more.\n\nNext [1].")
    assert 'href="source:1"' in sm.finish()
