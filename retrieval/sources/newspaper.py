"""Split a printed newspaper page into its articles.

Text pulled out of a page layout is not an article file. Every line is hard-wrapped at the
column width, paragraphs are blocks separated by blank lines, a column break shows up as a
blank line in the middle of a sentence, and a headline may stand above its body or below it.
The page also carries things that are not articles at all: headers, slogans, editor credits.

Blocks are classified on their own (`page_blocks`), then walked in reading order (`page_walk`,
gathering each article in a `page_draft`). A headline with an untitled body above it and a
body below it is ambiguous; the page is walked twice, once reading such headlines as closing
the body above (headline after) and once as opening the body below (headline before), and
the reading that leaves fewer news stories untitled and fewer headlines orphaned wins. No
rule names a particular paper.
"""

from __future__ import annotations

import re
import statistics

from retrieval.records import Article, Paragraph
from retrieval.sources.page_blocks import Block, PageInfo, classify_page, page_info, split_blocks
from retrieval.sources.page_draft import Draft
from retrieval.sources.page_headline import headline_parts
from retrieval.sources.page_text import display_width, ends_sentence, normalise_body
from retrieval.sources.page_walk import assemble
from retrieval.text import derive_title

__all__ = ["looks_like_page", "parse_blocks", "parse_page"]

# 「（上接第1版）」 opening a continued part: not the words to title it with.
_CONTINUED_FROM = re.compile(r"^[（(]\s*(?:上接|紧接)[^）)]*[）)]")


# --------------------------------------------------------------------------- public API


def parse_page(
    text: str, *, source: str = "", page_id: str = "page", date: str = "", page: str = ""
) -> list[Article]:
    """Split one text page into articles in reading order.

    The paper's name and date printed in the page's header win over `source` and `date`,
    which are the fallbacks for pages without a masthead.
    """
    return parse_blocks(split_blocks(text), source=source, page_id=page_id, date=date, page=page)


def parse_blocks(
    blocks: list[Block], *, source: str = "", page_id: str = "page", date: str = "", page: str = ""
) -> list[Article]:
    """Articles from a page's blocks in reading order (text pages and PDF pages alike)."""
    classify_page(blocks)
    info = page_info(blocks)
    info = PageInfo(info.name or source, info.date or date, info.page or page)
    after, after_cost = assemble(blocks, headline_first=False)
    before, before_cost = assemble(blocks, headline_first=True)
    drafts = before if before_cost < after_cost else after
    return [
        _to_article(draft, f"{page_id}-{n}", info) for n, draft in enumerate(drafts, start=1)
    ]


def looks_like_page(text: str) -> bool:
    """True when text looks like a layout-extracted newspaper page (hard-wrapped short lines,
    blocks separated by blank lines), as opposed to a plain article file."""
    lines = [line.strip() for line in text.splitlines()]
    filled = [line for line in lines if line]
    blanks = len(lines) - len(filled)
    if len(filled) < 8 or blanks < 2:
        return False
    widths = [display_width(normalise_body(line)) for line in filled]
    # Hard wrapping leaves most lines short and stopping mid-sentence; an article file has
    # one long line per paragraph, each ending in sentence punctuation.
    mid_sentence = sum(not ends_sentence(line) for line in filled) / len(filled)
    return statistics.median(widths) <= 30 and mid_sentence >= 0.4


# --------------------------------------------------------------------------- articles


def _to_article(draft: Draft, article_id: str, info: PageInfo) -> Article:
    """Turn a finished draft into an Article, deriving a title when none was printed."""
    paragraphs = [Paragraph(text, heading) for text, heading in draft.paragraphs if text]
    kicker, title, subtitle = headline_parts(draft.headline, draft.sizes)
    if not title:
        opening = _CONTINUED_FROM.sub("", paragraphs[0].text) if paragraphs else ""
        title = derive_title(opening) or "(untitled)"
    return Article(
        id=article_id,
        title=title,
        paragraphs=paragraphs,
        kicker=kicker,
        subtitle=subtitle,
        author=draft.author,
        date=info.date,
        source=info.name,
        page=info.page,
        region=_region(draft.blocks),
        caption=draft.caption,
    )


def _region(blocks: list[Block]) -> str:
    """Where the article sits: a PDF bounding box in points, or a text page's line range."""
    boxes = [b.bbox for b in blocks if b.bbox is not None]
    if boxes:
        x0 = min(b[0] for b in boxes)
        top = min(b[1] for b in boxes)
        x1 = max(b[2] for b in boxes)
        bottom = max(b[3] for b in boxes)
        return f"{x0:.0f},{top:.0f},{x1:.0f},{bottom:.0f}"
    lines = [b.first_line for b in blocks if b.first_line]
    if not lines:
        return ""
    last = max(blocks, key=lambda b: b.first_line)
    return f"lines {min(lines)}-{last.first_line + len(last.lines) - 1}"
