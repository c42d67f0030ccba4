"""Split a printed headline into kicker (引题), title (主题) and subtitle (副题).

Printed order is kicker, title, subtitle, whether the headline stands above or below its
body. A line starting with —— is always a subtitle and a lone first line ending in a colon is
always a kicker. When font sizes are known (PDF) the largest type is the title; in text the
block with more lines is (a long title wraps, kickers and subtitles rarely do).
"""

from __future__ import annotations

import re

from retrieval.sources.page_text import DASH_PREFIX


def headline_parts(blocks: list[list[str]], sizes: list[float]) -> tuple[str, str, str]:
    """(kicker, title, subtitle) from a headline's blocks in printed order."""
    subtitles: list[str] = []
    parts: list[list[str]] = []
    part_sizes: list[float] = []
    for block, size in zip(blocks, sizes, strict=True):
        kept = []
        for line in block:
            if DASH_PREFIX.match(line) and line.startswith(("—", "－", "--")):
                subtitles.append(DASH_PREFIX.sub("", line))
            else:
                kept.append(line)
        if kept:
            parts.append(kept)
            part_sizes.append(size)

    kicker = ""
    if parts and len(parts[0]) == 1 and re.search(r"[：:]$", parts[0][0]):
        kicker = parts.pop(0)[0].rstrip("：:").strip()
        part_sizes.pop(0)
    if len(parts) >= 2 and all(part_sizes) and len(set(part_sizes)) > 1:
        top = max(part_sizes)
        first = part_sizes.index(top)
        last = len(part_sizes) - 1 - part_sizes[::-1].index(top)
        before, title_parts, trailing = parts[:first], parts[first : last + 1], parts[last + 1 :]
        if before:
            kicker = " ".join([kicker] * bool(kicker) + [ln for b in before for ln in b])
    else:
        kicker, title_parts, trailing = _by_shape(parts, kicker, bool(subtitles))
    title = " ".join(line for block in title_parts for line in block)
    subtitle = " ".join([line for block in trailing for line in block] + subtitles)
    if not title and subtitle:
        title, subtitle = subtitle, ""
    return kicker, title, subtitle


def _by_shape(
    parts: list[list[str]], kicker: str, has_dash_subtitle: bool
) -> tuple[str, list[list[str]], list[list[str]]]:
    """(kicker, title blocks, subtitle blocks) when sizes are unknown: of two blocks the one
    with more lines (or more characters) is the title, and with a —— subtitle printed the
    other two are kicker and title; with three or more, the outer ones are kicker and
    subtitle."""
    if len(parts) == 2:
        first, second = parts
        shorter = (len(first), len("".join(first))) < (len(second), len("".join(second)))
        if not kicker and (shorter or has_dash_subtitle):
            return " ".join(first), [second], []
        return kicker, [first], [second]
    if len(parts) >= 3:
        if not kicker:
            kicker, parts = " ".join(parts[0]), parts[1:]
        return kicker, parts[:-1], parts[-1:]
    return kicker, parts, []
