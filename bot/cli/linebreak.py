"""Wrapping terminal text by display width, with the Chinese line-breaking rules.

A Chinese character takes two terminal columns (widths from `wcwidth`, which knows the
Unicode East Asian Width and zero-width tables), and Chinese text has no spaces, so any
character boundary may be a break — except that, by the usual rules for Chinese (禁则), a
line never starts with closing punctuation such as 「。，、」 or 「）」 and never ends with
opening punctuation such as 「“」 or 「（」. Latin words are kept whole where they fit.
"""

from __future__ import annotations

import re

from wcwidth import wcswidth, wcwidth

#: Punctuation that must not start a line (closing marks and pauses).
NO_LINE_START = frozenset("。，、；：？！”’」』）》〉】〕…·.,;:?!)]}%")
#: Punctuation that must not end a line (opening marks).
NO_LINE_END = frozenset("“‘「『（《〈【〔([{")

_TOKENS = re.compile(r"[A-Za-z0-9_.,:;!?%'\-]+ ?|.")


def display_width(text: str) -> int:
    """Terminal columns `text` occupies (control characters count as none)."""
    width = wcswidth(text)
    return width if width >= 0 else sum(max(wcwidth(ch), 0) for ch in text)


def _may_break_before(tokens: list[str], k: int) -> bool:
    """True when a line may end after `tokens[k - 1]` and the next start with `tokens[k]`."""
    before, after = tokens[k - 1].rstrip(), tokens[k]
    starts_badly = bool(after) and after[0] in NO_LINE_START
    ends_badly = bool(before) and before[-1] in NO_LINE_END
    return not starts_badly and not ends_badly


def _wrap_paragraph(paragraph: str, width: int, indent: str) -> list[str]:
    room = max(width - display_width(indent), 2)
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for token in _TOKENS.findall(paragraph):
        w = display_width(token.rstrip())
        if used + w > room and line:
            # Break before `token`, or earlier when the rules forbid this break (a closing
            # mark moves down with the character before it; an opening mark moves down).
            k = len(line)
            pending = [*line, token]
            while k > 1 and not _may_break_before(pending, k):
                k -= 1
            if k == 1 and not _may_break_before(pending, 1):
                k = len(line)  # nowhere allowed: break where it fits rather than overflow
            lines.append("".join(line[:k]).rstrip())
            line = [t.lstrip() if i == 0 else t for i, t in enumerate(line[k:])]
            used = sum(display_width(t) for t in line)
        if not line:
            token = token.lstrip()
        line.append(token)
        used += display_width(token)
    lines.append("".join(line).rstrip())
    return [indent + text for text in lines]


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Lines of at most `width` terminal columns, each prefixed by `indent`, breaking where
    the Chinese line-breaking rules allow."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_wrap_paragraph(paragraph, width, indent))
    return lines
