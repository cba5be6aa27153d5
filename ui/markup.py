"""Model replies and chat text rendered as Markdown that cannot fetch anything: images become
links (opened only on click) and raw HTML is shown as text. Code keeps its characters."""

from __future__ import annotations

import re

# Fenced blocks, then inline code spans: left as they are (Markdown never loads anything from code).
_CODE = re.compile(r"(^|\n)(```|~~~)[^\n]*\n.*?(\n\2[^\n]*(?=\n|$)|$)|(`+)(?:(?!\4).)+?\4", re.DOTALL)


def escape(text: str) -> str:
    """Memory text shown as-is, on one line: no Markdown, HTML, LaTeX or colour directives."""
    flat = " ".join(text.split())
    for char in "\\`*_[]<>$#|:~!":
        flat = flat.replace(char, "\\" + char)
    return flat


def inert_markdown(text: str) -> str:
    """Markdown that renders like ``text`` but loads no image, iframe or other remote resource."""
    out: list[str] = []
    last = 0
    for code in _CODE.finditer(text):
        out.append(_inert(text[last : code.start()]))
        out.append(code.group(0))
        last = code.end()
    out.append(_inert(text[last:]))
    return "".join(out)


def plain_text(shown: str) -> str:
    """The text before ``inert_markdown`` (for history sent back to the model)."""
    return shown.replace("\\![", "![").replace("&lt;", "<")


def _inert(prose: str) -> str:
    # "![alt](url)" -> "\![alt](url)": a plain link; "<img …>" -> "&lt;img …>": text, not a tag.
    return prose.replace("![", "\\![").replace("<", "&lt;")
