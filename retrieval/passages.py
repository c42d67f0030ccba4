"""Packing of paragraphs into passages (sentences are split by `retrieval.text`).

A passage is the unit BM25 ranks and the bot shows, so it must be short enough to read in a
chat bubble and long enough to carry the answer with its context. Sentences are packed greedily
up to `max_chars`; a passage only ends mid-sentence when one sentence alone exceeds the bound,
and then it is cut at the last clause mark (，；：、) that fits, or hard at the bound.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from retrieval.text import split_sentences

#: Default passage bound in characters, chosen by measurement (see README, "Answer quality").
MAX_PASSAGE_CHARS = 300

_CLAUSE_MARK = re.compile(r"[，,、：:]")


def _cut_long(sentence: str, max_chars: int) -> Iterator[str]:
    """Pieces of an over-long sentence, cut at the last clause mark within the bound."""
    while len(sentence) > max_chars:
        window = sentence[:max_chars]
        marks = [m.end() for m in _CLAUSE_MARK.finditer(window)]
        cut = marks[-1] if marks and marks[-1] > max_chars // 3 else max_chars
        yield sentence[:cut]
        sentence = sentence[cut:]
    if sentence:
        yield sentence


def pack(text: str, max_chars: int = MAX_PASSAGE_CHARS) -> list[tuple[int, int]]:
    """Character spans `(start, end)` of the passages of one paragraph, in order.

    Spans rather than strings, so the store can keep the paragraph once and slice passages
    from it; `text[start:end]` is the passage (leading/trailing spaces are outside the span).
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    pieces: list[tuple[int, int]] = []
    for sentence in split_sentences(text):
        begin = text.index(sentence, pos)
        pos = begin + len(sentence)
        offset = begin
        for piece in _cut_long(sentence, max_chars):
            pieces.append((offset, offset + len(piece)))
            offset += len(piece)
    cur_start: int | None = None
    cur_end = 0
    for start, end in pieces:
        if cur_start is not None and end - cur_start <= max_chars:
            cur_end = end
            continue
        if cur_start is not None:
            spans.append((cur_start, cur_end))
        cur_start, cur_end = start, end
    if cur_start is not None:
        spans.append((cur_start, cur_end))
    return spans


def pack_article(
    paragraphs: Sequence[tuple[str, str]], max_chars: int = MAX_PASSAGE_CHARS
) -> list[tuple[int, int, int]]:
    """Passages of a whole article as `(paragraph, start, end)`, offsets into its body.

    The body is the paragraphs joined by newlines. Long paragraphs are packed as in `pack`;
    a short paragraph is appended to the passage before it when the whole paragraph fits and
    both stand under the same section heading. Print news is full of one-line paragraphs
    (「市委副书记、市长赵迎春主持。」) that mean little without the sentence before them.
    `paragraph` is the index of the paragraph the passage starts in.
    """
    spans: list[tuple[int, int, int]] = []
    open_span: tuple[int, int, int] | None = None
    open_heading = ""
    base = 0
    for number, (text, heading) in enumerate(paragraphs):
        local = [(base + s, base + e) for s, e in pack(text, max_chars)]
        base += len(text) + 1
        if not local:
            continue
        if (
            open_span is not None
            and len(local) == 1
            and heading == open_heading
            and local[0][1] - open_span[1] <= max_chars
        ):
            open_span = (open_span[0], open_span[1], local[0][1])
            continue
        if open_span is not None:
            spans.append(open_span)
        spans.extend((number, s, e) for s, e in local[:-1])
        open_span = (number, *local[-1])
        open_heading = heading
    if open_span is not None:
        spans.append(open_span)
    return spans
