"""Reply Markdown made inert: images become links, HTML becomes text, code keeps its characters."""

from __future__ import annotations

from ui.markup import escape, inert_markdown, plain_text


def test_images_and_html_cannot_load_anything():
    reply = 'Look ![map](http://example.org/p.png) <img src="http://example.org/q.png"> and ![ref][r]\n\n[r]: x.png'
    shown = inert_markdown(reply)
    assert "![" not in shown.replace("\\![", "") and "<" not in shown
    assert "[map](http://example.org/p.png)" in shown  # still a link, opened only on click
    assert plain_text(shown) == reply


def test_code_keeps_its_characters():
    reply = "Use `a < b` or\n```html\n<img src=x.png> ![y](z)\n```\nthen <b>"
    shown = inert_markdown(reply)
    assert "`a < b`" in shown and "<img src=x.png> ![y](z)" in shown and shown.endswith("&lt;b>")


def test_memory_text_is_shown_as_plain_text():
    assert escape("User's avatar is ![me](http://x/y.png) <b>bold</b>") == (
        "User's avatar is \\!\\[me\\](http\\://x/y.png) \\<b\\>bold\\</b\\>"
    )
