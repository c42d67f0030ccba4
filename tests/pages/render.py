"""Print a `PageSpec` as a layout extractor's text page or as a PDF page (reportlab).

The text page mimics what a PDF text extractor prints: hard-wrapped lines, blank lines
between blocks and at column breaks (mid-sentence too). The PDF page is drawn with the
built-in CID font STSong-Light: headline parts in larger type, body in columns with indented
first lines, captions in smaller type under a photo box, a header and an ad box.
"""

from __future__ import annotations

import math
from typing import Any

from tests.pages.layout import Item, PageSpec, byline_text, cn_date, credit, weekday


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _spaced(line: str) -> str:
    return " ".join(line) if all(ord(c) > 0x2E80 for c in line) else line


def _body_paragraphs(item: Item) -> list[str]:
    paragraphs = list(item.paragraphs)
    printed, _ = byline_text(item)
    if item.byline == "lead":
        paragraphs[0] = printed + paragraphs[0]
    if item.byline == "trail":
        paragraphs[-1] += printed
    if item.jump_from:
        paragraphs[0] = f"（上接第{item.jump_from}版）" + paragraphs[0]
    if item.jump_to:
        paragraphs[-1] += f"（下转第{item.jump_to}版）"
    return paragraphs


def _headline_blocks(item: Item) -> list[list[str]]:
    blocks = []
    if item.kicker:
        blocks.append([item.kicker])
    blocks.append(list(item.title) if item.vertical else [item.title])
    if item.subtitle:
        blocks.append(["——" + item.subtitle])
    return blocks


def text_page(spec: PageSpec) -> str:
    """The page as a layout extractor prints it."""
    out: list[str] = []

    def block(lines: list[str]) -> None:
        out.extend(lines)
        out.append("")

    if spec.header:
        block([f"{spec.paper}  {cn_date(spec.date)}  {weekday(spec.date)}  第{spec.page}版  要闻"])
    if "slogan" in spec.furniture:
        block(["富强 民主 文明 和谐", "自由 平等 公正 法治"])
    for item in spec.items:
        _text_item(item, spec, block)
    if "ad" in spec.furniture:
        block(["广告", "金秋购房节 钜惠来袭", "咨询热线：0833-2134567"])
    if "qr" in spec.furniture:
        block(["扫码关注", f"{spec.paper}微信公众号"])
    if "weather" in spec.furniture:
        block(["今日天气", "晴 18℃～26℃ 东南风2级"])
    if spec.header:
        block(["责任编辑：王芳  美编：李强  校对：赵敏"])
        block([f"- {spec.page} -"])
    return "\n".join(out)


def _text_item(item: Item, spec: PageSpec, block: Any) -> None:
    printed, _ = byline_text(item)
    if item.brief:
        para = item.paragraphs[0]
        if item.brief == "■":
            block([f"■ {item.story.title}", *_wrap(para, spec.width)])
        else:
            block([f"【{item.story.title}】{para[:4]}", *_wrap(para[4:], spec.width)])
        return
    if item.photo:
        body = _wrap(item.paragraphs[0], spec.width)
        if item.where == "above":
            for lines in _headline_blocks(item):
                block(lines)
        block(body)
        block([credit(item)])
        if item.where == "after":
            for lines in _headline_blocks(item):
                block(lines)
        return
    if item.where == "above":
        if item.byline == "name":
            block([printed])
        for lines in _headline_blocks(item):
            block(lines)
    if item.byline in ("mark", "wentu", "plain"):
        block([printed])
    count = 0
    for n, paragraph in enumerate(_body_paragraphs(item)):
        lines = _wrap(paragraph, spec.width)
        if item.spaced:
            lines = [_spaced(line) if i < len(lines) - 1 else line for i, line in enumerate(lines)]
        current: list[str] = []
        for line in lines:
            current.append(line)
            count += 1
            if count % spec.column_lines == 0:
                block(current)  # a column break, maybe mid-sentence
                current = []
        if current:
            block(current)
        if item.caption and n == 2:
            block(_wrap(item.caption, spec.width))
    if item.where == "after":
        for lines in _headline_blocks(item):
            block(lines)


# --------------------------------------------------------------------------- PDF

_W, _H = 595.0, 842.0
_MARGIN = 36.0
_BODY = 9.5
_LEADING = 13.0
_GUTTER = 14.0


def pdf_page(spec: PageSpec, canvas: Any) -> None:
    """Draw the page on a reportlab canvas (the caller calls showPage/save)."""
    font = "STSong-Light"
    y = _MARGIN

    def text(x: float, top: float, size: float, s: str) -> None:
        canvas.setFont(font, size)
        canvas.drawString(x, _H - top - size, s)

    if spec.header:
        text(_MARGIN, y, 14, spec.paper)
        text(_MARGIN + 200, y + 4, 9, f"{cn_date(spec.date)} {weekday(spec.date)}")
        text(_W - _MARGIN - 80, y + 4, 9, f"第{spec.page}版 要闻")
        canvas.line(_MARGIN, _H - y - 22, _W - _MARGIN, _H - y - 22)
        y += 34
    for item in spec.items:
        y = _pdf_item(item, spec, canvas, text, y) + 16
    if "ad" in spec.furniture:
        canvas.rect(_MARGIN, _H - y - 50, _W - 2 * _MARGIN, 46)
        text(_MARGIN + 10, y + 6, 12, "金秋购房节 钜惠来袭")
        text(_MARGIN + 10, y + 26, 9, "咨询热线：0833-2134567")
        y += 60
    if spec.header:
        text(_MARGIN, _H - _MARGIN - 10, 8, "责任编辑：王芳  美编：李强  校对：赵敏")


def _pdf_headline(item: Item, text: Any, x: float, y: float, width: float) -> float:
    if item.kicker:
        text(x, y, 12, item.kicker)
        y += 18
    per_line = max(1, int(width // 20))
    for line in _wrap(item.title, per_line):
        text(x, y, 20, line)
        y += 26
    if item.subtitle:
        text(x, y, 12, "——" + item.subtitle)
        y += 18
    return y + 4


def _pdf_item(item: Item, spec: PageSpec, canvas: Any, text: Any, y: float) -> float:
    left, width = _MARGIN, _W - 2 * _MARGIN
    printed, _ = byline_text(item)
    if item.brief:
        per_line = int(width // _BODY)
        text(left, y, _BODY, f"■ {item.story.title}")
        y += _LEADING
        for line in _wrap(item.paragraphs[0], per_line):
            text(left, y, _BODY, line)
            y += _LEADING
        return y
    if item.photo:
        if item.where == "above":
            y = _pdf_headline(item, text, left, y, width)
        canvas.setFillGray(0.8)
        canvas.rect(left, _H - y - 60, 200, 60, fill=1, stroke=0)
        canvas.setFillGray(0)
        y += 66
        for line in _wrap(item.paragraphs[0], int(width // 8.5)):
            text(left, y, 8.5, line)
            y += 12
        text(left, y, 8.5, credit(item))
        y += 16
        if item.where == "after":
            y = _pdf_headline(item, text, left, y, width)
        return y
    beside = item.where == "beside"
    if item.where == "above":
        if item.byline == "name":
            text(left, y, 11, printed)
            y += 16
        y = _pdf_headline(item, text, left, y, width)
    head_bottom = y
    if beside:
        head_width = 130.0
        head_bottom = _pdf_headline(item, text, left, y, head_width)
        left, width = left + head_width + _GUTTER, width - head_width - _GUTTER
    if item.byline in ("mark", "wentu", "plain"):
        text(left, y, _BODY, printed)
        y += _LEADING + 4
    col_width = (width - _GUTTER * (spec.columns - 1)) / spec.columns
    per_line = int(col_width // _BODY)
    lines: list[tuple[bool, str]] = []
    for paragraph in _body_paragraphs(item):
        wrapped = _wrap(paragraph, per_line - 2)
        first, rest = wrapped[0], "".join(wrapped[1:])
        lines.append((True, first))
        lines.extend((False, chunk) for chunk in _wrap(rest, per_line) if chunk)
    per_col = math.ceil(len(lines) / spec.columns)
    for n, (indent, line) in enumerate(lines):
        col, row = divmod(n, per_col)
        x = left + col * (col_width + _GUTTER) + (2 * _BODY if indent else 0)
        text(x, y + row * _LEADING, _BODY, line)
    y += per_col * _LEADING + 6
    if item.caption:
        text(left, y, 8.5, item.caption)
        y += 14
    y = max(y, head_bottom)
    if item.where == "after":
        y = _pdf_headline(item, text, _MARGIN, y, _W - 2 * _MARGIN)
    return y
