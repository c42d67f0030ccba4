"""Telegram HTML pieces every rendered message is built from: escaping, highlighting, links.

Every piece of article or user text goes through `esc` (``html.escape``) before any markup
is added; highlighting finds the query terms in the *raw* text and escapes the segments
around them, so no text can inject markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from bot import local_time, texts


def esc(text: str) -> str:
    """Escape text for Telegram HTML (``<``, ``>``, ``&``)."""
    return html.escape(text, quote=False)


def _display_terms(terms: Iterable[str]) -> list[str]:
    """Distinct non-blank terms, longest first; single characters only if nothing longer."""
    unique = sorted({t for t in terms if t.strip()}, key=lambda t: (-len(t), t))
    longer = [t for t in unique if len(t) > 1]
    return longer or unique


def highlight(text: str, terms: Iterable[str]) -> str:
    """`text` escaped, with every occurrence of a term (case-insensitive) wrapped in <b>."""
    shown = _display_terms(terms)
    if not shown:
        return esc(text)
    pattern = re.compile("|".join(re.escape(t) for t in shown), re.IGNORECASE)
    spans: list[list[int]] = []
    for match in pattern.finditer(text):
        if match.start() == match.end():
            continue
        if spans and match.start() <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], match.end())
        else:
            spans.append([match.start(), match.end()])
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(esc(text[pos:start]))
        out.append(f"<b>{esc(text[start:end])}</b>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def link(text: str, url: str) -> str:
    """`text` escaped, linked to `url` when it is an http(s) URL."""
    if url.startswith(("http://", "https://")):
        return f'<a href="{html.escape(url, quote=True)}">{esc(text)}</a>'
    return esc(text)


def source_line(title: str, date: str, source: str, url: str = "", page: str = "") -> str:
    """「title · date · source · 第N版」 with empty parts left out and the title linked."""
    parts = []
    if title:
        parts.append(link(title, url))
    elif url:
        parts.append(link(texts.UNTITLED, url))
    edition = texts.PRINTED_PAGE.format(page=page) if page else ""
    parts += [esc(p) for p in (local_time.show(date), source, edition) if p]
    return texts.SOURCE_SEPARATOR.join(parts) or texts.MISSING


def short(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
