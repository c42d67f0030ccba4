"""Lay out the characters of one PDF page as blocks in reading order.

A PDF page is a bag of positioned glyphs. Glyphs on one baseline with the same type size
form a line segment, cut where the gap is wider than a gutter; segments stacked at line
spacing in the same column form a column block; blocks are put in reading order by cutting
the page recursively into horizontal bands and vertical columns (XY-cut), so a headline
spanning three columns comes before them and a story in its own column comes whole. A column
block is then split into paragraphs at indented first lines, the way a reader sees them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from retrieval.sources.page_blocks import HEADLINE_SIZE_RATIO, Block, is_furniture
from retrieval.sources.page_text import ends_sentence

Box = tuple[float, float, float, float]


@dataclass
class _Segment:
    """Characters on one baseline within one column."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class _Column:
    """Consecutive same-size segments of one column: a text frame."""

    segments: list[_Segment] = field(default_factory=list)

    @property
    def box(self) -> Box:
        return (
            min(s.x0 for s in self.segments),
            min(s.top for s in self.segments),
            max(s.x1 for s in self.segments),
            max(s.bottom for s in self.segments),
        )

    @property
    def size(self) -> float:
        return self.segments[0].size


def page_blocks(
    chars: Iterable[Mapping[str, Any]], boxes: Iterable[Box] = ()
) -> list[Block]:
    """Blocks of one page in reading order, each with its relative font size and box.

    `boxes` are drawn frames (x0, top, x1, bottom): the text inside a frame that reads as an
    ad or notice (a phone number, 广告) becomes one block, so the parser drops it whole.
    """
    blocks = _blocks(chars)
    for box in boxes:
        inside = [b for b in blocks if b.bbox is not None and _within(b.bbox, box)]
        if len(inside) > 1 and is_furniture([line for b in inside for line in b.lines]):
            merged = Block([line for b in inside for line in b.lines], size=1.0, bbox=box)
            at = blocks.index(inside[0])
            blocks = [b for b in blocks if b not in inside]
            blocks.insert(at, merged)
    return blocks


def _within(inner: Box, outer: Box) -> bool:
    return (
        inner[0] >= outer[0] - 1
        and inner[1] >= outer[1] - 1
        and inner[2] <= outer[2] + 1
        and inner[3] <= outer[3] + 1
    )


def _blocks(chars: Iterable[Mapping[str, Any]]) -> list[Block]:
    segments = _segments(chars)
    if not segments:
        return []
    body = _body_size(segments)
    columns = _columns(segments)
    blocks: list[Block] = []
    for band, part in enumerate(_cut(columns, 1)):
        for column in _reading_order(part):
            blocks.extend(_column_blocks(column, body, band))
    return blocks


def _column_blocks(column: _Column, body: float, band: int) -> list[Block]:
    """A frame's paragraphs as blocks; `band` is the page-wide strip the frame lies in."""
    blocks: list[Block] = []
    size = round(column.size / body, 2)
    for lines in _paragraphs(column):
        box: Box = (
            min(s.x0 for s in lines),
            min(s.top for s in lines),
            max(s.x1 for s in lines),
            max(s.bottom for s in lines),
        )
        headline = size >= HEADLINE_SIZE_RATIO
        texts = _unwrap(lines, column) if headline else [s.text for s in lines]
        blocks.append(Block(texts, size=size, bbox=box, band=band))
    return blocks


def _segments(chars: Iterable[Mapping[str, Any]]) -> list[_Segment]:
    """Group glyphs into line segments: same baseline and size, no gutter-wide gap."""
    rows: dict[tuple[int, int], list[Mapping[str, Any]]] = {}
    for char in chars:
        if not str(char["text"]).strip() and char["text"] != " ":
            continue
        size = float(char["size"])
        key = (round(float(char["bottom"]) * 2), round(size * 2))
        rows.setdefault(key, []).append(char)
    segments: list[_Segment] = []
    for row in rows.values():
        row.sort(key=lambda c: float(c["x0"]))
        current: list[Mapping[str, Any]] = []
        for char in row:
            size = float(char["size"])
            if current and float(char["x0"]) - float(current[-1]["x1"]) > 0.9 * size:
                segments.append(_segment(current))
                current = []
            current.append(char)
        if current:
            segments.append(_segment(current))
    return [s for s in segments if s.text.strip()]


def _segment(chars: list[Mapping[str, Any]]) -> _Segment:
    return _Segment(
        text="".join(str(c["text"]) for c in chars).strip(),
        x0=float(chars[0]["x0"]),
        x1=float(chars[-1]["x1"]),
        top=min(float(c["top"]) for c in chars),
        bottom=max(float(c["bottom"]) for c in chars),
        size=round(statistics.median(float(c["size"]) for c in chars), 1),
    )


def _body_size(segments: list[_Segment]) -> float:
    """The size most of the page's text is set in (weighted by characters)."""
    weight: dict[float, int] = {}
    for segment in segments:
        weight[segment.size] = weight.get(segment.size, 0) + len(segment.text)
    return max(weight, key=lambda size: weight[size])


def _columns(segments: list[_Segment]) -> list[_Column]:
    """Stack segments into text frames: same size, overlapping horizontally, at line spacing."""
    columns: list[_Column] = []
    for segment in sorted(segments, key=lambda s: (s.top, s.x0)):
        home = None
        for column in columns:
            last = column.segments[-1]
            gap = segment.top - last.bottom
            overlap = min(segment.x1, last.x1) - max(segment.x0, last.x0)
            if (
                abs(last.size - segment.size) < 0.3
                and -0.2 * segment.size <= gap <= 0.9 * segment.size
                and overlap > 0.3 * min(segment.x1 - segment.x0, last.x1 - last.x0)
                and abs(segment.x0 - column.box[0]) <= 2.5 * segment.size
            ):
                home = column
                break
        if home is None:
            columns.append(_Column([segment]))
        else:
            home.segments.append(segment)
    return columns


def _reading_order(columns: list[_Column]) -> list[_Column]:
    """XY-cut: bands top to bottom, and within a band columns left to right, recursively."""
    if len(columns) <= 1:
        return columns
    for axis in (1, 0):  # 1: cut into horizontal bands (by y); 0: into columns (by x)
        parts = _cut(columns, axis)
        if len(parts) > 1:
            return [c for part in parts for c in _reading_order(part)]
    return sorted(columns, key=lambda c: (c.box[1], c.box[0]))


def _cut(columns: list[_Column], axis: int) -> list[list[_Column]]:
    """Split where no frame spans the gap along `axis` (0 = x, 1 = y)."""
    ordered = sorted(columns, key=lambda c: c.box[axis])
    parts: list[list[_Column]] = [[ordered[0]]]
    reach = ordered[0].box[axis + 2]
    for column in ordered[1:]:
        if column.box[axis] >= reach - 0.5:
            parts.append([])
        parts[-1].append(column)
        reach = max(reach, column.box[axis + 2])
    return parts


def _unwrap(lines: list[_Segment], column: _Column) -> list[str]:
    """Headline lines with wrapping undone: a line that fills the frame's width runs on into
    the next (so a headline set in a narrow or vertical frame reads as one phrase), a shorter
    line ends a phrase."""
    right = column.box[2]
    out: list[str] = []
    runs_on = False
    for segment in lines:
        if runs_on and out:
            out[-1] += segment.text
        else:
            out.append(segment.text)
        runs_on = right - segment.x1 < segment.size
    return out


def _paragraphs(column: _Column) -> list[list[_Segment]]:
    """Split a frame into paragraphs: a new one at an indented line after a finished one,
    or after a short line that ends a sentence."""
    left, _, right, _ = column.box
    size = column.size
    paragraphs: list[list[_Segment]] = []
    for segment in column.segments:
        if paragraphs:
            previous = paragraphs[-1][-1]
            indented = segment.x0 - left >= 1.5 * size
            short = right - previous.x1 >= 1.5 * size
            if (indented and (short or ends_sentence(previous.text))) or (
                short and ends_sentence(previous.text)
            ):
                paragraphs.append([segment])
                continue
            paragraphs[-1].append(segment)
        else:
            paragraphs.append([segment])
    return paragraphs
