"""Cutting long Telegram HTML into messages under the length limit, each valid on its own.

Telegram counts a message's length in UTF-16 code units and rejects a message whose tags are
not balanced, so a cut must not fall inside a tag or an entity, and tags open at a cut are
closed at the end of one message and reopened at the start of the next.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from telegram.constants import MessageLimit

from retrieval import ELLIPSIS, SENTENCE_END_MARKS

#: Telegram's limit; we keep the raw HTML (not only the visible text) under it.
MESSAGE_LIMIT: int = MessageLimit.MAX_TEXT_LENGTH

_ATOM = re.compile(r"<[^>]*>|&#?\w+;|\n|[^<&\n]|[\s\S]")
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][\w-]*)")
_SENTENCE_END = frozenset(SENTENCE_END_MARKS + ELLIPSIS)


def units(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le")) // 2


def _closing(open_tag: str) -> str:
    match = _TAG_NAME.match(open_tag)
    return f"</{match.group(1)}>" if match else ""


def _break_priority(atoms: Sequence[str], k: int) -> int | None:
    """How good a cut right after atom `k` is: 3 paragraph, 2 line, 1 sentence, 0 anywhere."""
    atom = atoms[k]
    if atom.startswith("<"):
        return 0 if atom.startswith("</") else None
    if atom == "\n":
        return 3 if k > 0 and atoms[k - 1] == "\n" else 2
    if atom in _SENTENCE_END:
        return 1
    return 0


def _visible(html_text: str) -> str:
    return re.sub(r"<[^>]*>", "", html_text)


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut balanced Telegram HTML into messages of at most `limit` UTF-16 units each.

    Prefers paragraph breaks, then line breaks, then sentence ends, then any character
    (never inside a tag or an entity). Tags open at a cut are closed at the end of one
    message and reopened at the start of the next, so every message is valid on its own.
    """
    text = text.strip()
    if not text:
        return []
    if units(text) <= limit:
        return [text]
    atoms = _ATOM.findall(text)
    sizes = [units(a) for a in atoms]
    chunks: list[str] = []
    carried: list[str] = []
    i, n = 0, len(atoms)
    while i < n:
        while i < n and atoms[i].isspace():
            i += 1
        if i >= n:
            break
        stack = list(carried)
        size = sum(units(t) for t in carried)
        closing = sum(units(_closing(t)) for t in stack)
        best: dict[int, tuple[int, int, list[str]]] = {}
        j = i
        while j < n:
            atom = atoms[j]
            new_closing = closing
            if atom.startswith("</"):
                if stack:
                    new_closing -= units(_closing(stack[-1]))
            elif atom.startswith("<"):
                new_closing += units(_closing(atom))
            if size + sizes[j] + new_closing > limit:
                break
            if atom.startswith("</"):
                if stack:
                    stack.pop()
            elif atom.startswith("<"):
                stack.append(atom)
            size += sizes[j]
            closing = new_closing
            j += 1
            priority = _break_priority(atoms, j - 1)
            if priority is not None:
                best[priority] = (j, size, list(stack))
        if j >= n:
            end, end_stack = n, stack
        else:
            choice = next(
                (best[p] for p in (3, 2, 1, 0) if p in best and best[p][1] >= limit // 3),
                max(best.values(), key=lambda b: b[0], default=None),
            )
            if choice is None:
                raise ValueError("cannot split: a single tag or entity is longer than the limit")
            end, _, end_stack = choice
        body = atoms[i:end]
        while body and body[-1].isspace():
            body.pop()
        chunk = "".join(carried) + "".join(body) + "".join(_closing(t) for t in reversed(end_stack))
        if _visible(chunk).strip():
            chunks.append(chunk)
        carried = end_stack
        i = end
    return chunks
