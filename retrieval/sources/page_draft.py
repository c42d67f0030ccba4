"""An article being assembled from a page's blocks: its paragraphs, headline, byline, caption.

The assembly walk (`page_walk`) decides which blocks belong to which article; this module
holds what one article collects and the rules for adding body text to it: a news lead's
byline is lifted out, a paragraph broken by a column is glued back, a trailing 「（记者 …）」 is
the byline, and a photo credit turns the text before it into a caption.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from retrieval.sources.page_blocks import Block
from retrieval.sources.page_text import (
    CAPTION_START,
    INLINE_CREDIT,
    JUMP_TO,
    NOTE_AFTER_END,
    TRAILING_BYLINE,
    byline_author,
    ends_sentence,
    join_lines,
    normalise_body,
    tidy_author,
)

# A photo story's caption is short; a longer untitled text with a credit is a story with a photo.
_PHOTO_STORY_MAX_CHARS = 240


@dataclass
class Draft:
    """An article being assembled while walking the page."""

    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (text, heading)
    headline: list[list[str]] = field(default_factory=list)  # headline blocks, in order
    sizes: list[float] = field(default_factory=list)  # font size of each headline block
    widths: list[float] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    author: str = ""
    heading: str = ""
    caption: str = ""
    front: bool = False  # the headline stood above the body, so body may still follow
    brief: bool = False
    had_lead: bool = False
    loose: tuple[str, str] | None = None  # (caption, credit) just taken from the body

    @property
    def jumped(self) -> bool:
        """The body ends in 「（下转第N版）」: it continues elsewhere, nothing more here."""
        return bool(self.paragraphs) and JUMP_TO.search(self.paragraphs[-1][0]) is not None

    @property
    def is_open(self) -> bool:
        """True when the last paragraph stops mid-sentence, i.e. a column break follows."""
        if not self.paragraphs or self.jumped:
            return False
        return not ends_sentence(self.paragraphs[-1][0])

    @property
    def untitled(self) -> bool:
        return bool(self.paragraphs) and not self.headline

    @property
    def width(self) -> float:
        """Typical body width of the article, to tell its own headings from the next story."""
        return statistics.median(self.widths) if self.widths else 0.0


def add_paragraph(draft: Draft, block: Block) -> None:
    """Start a new paragraph from a body block, lifting a news lead's byline out of it."""
    draft.loose = None
    text = block.raw
    lead = block.lead
    if lead is not None:
        draft.had_lead = True
        who = tidy_author(lead["who"] or "")
        if who and not draft.author:
            draft.author = who
        text = re.sub(r"\s+", " ", text.strip())[lead.end() :]
    text, credit = _split_credit(text)
    text = lift_trailing_byline(draft, text)
    draft.paragraphs.append((normalise_body(text), draft.heading))
    draft.widths.append(block.width)
    draft.blocks.append(block)
    if credit:
        take_caption(draft, credit)
    elif CAPTION_START.match(text) and len(draft.paragraphs) > 1:
        draft.caption = draft.caption or draft.paragraphs.pop()[0]


def continue_paragraph(draft: Draft, block: Block) -> None:
    """Glue a block onto the previous paragraph across a column break."""
    draft.loose = None
    text, heading = draft.paragraphs[-1]
    text, credit = _split_credit(join_lines([text, block.raw]))
    text = lift_trailing_byline(draft, text)
    draft.paragraphs[-1] = (normalise_body(text), heading)
    draft.widths.append(block.width)
    draft.blocks.append(block)
    if credit:
        take_caption(draft, credit)


def _split_credit(text: str) -> tuple[str, str]:
    """Cut a photo credit printed at the end of a caption (「…。记者 刘洋 摄」)."""
    text = text.rstrip()
    match = INLINE_CREDIT.search(text)
    if match is None or not match.start():
        return text, ""
    before = text[: match.start()].rstrip()
    if not (ends_sentence(before) or text[match.start() :].lstrip().startswith(("（", "("))):
        return text, ""
    return before, re.sub(r"\s+", " ", match["credit"]).strip()


def take_caption(draft: Draft, credit: str) -> None:
    """A photo credit closes a caption: a short untitled text is a photo story (its caption is
    its body, the photographer its author); otherwise the last paragraph is the caption of a
    photo inside the story and leaves the body (or, titled next, is a photo story itself)."""
    who = byline_author(credit) if "摄" in credit else credit
    texts = [text for text, _ in draft.paragraphs]
    if len(texts) <= 2 and sum(map(len, texts)) <= _PHOTO_STORY_MAX_CHARS:
        draft.caption = caption_of("".join(texts), credit)
        draft.author = draft.author or who
        return
    caption = draft.paragraphs.pop()[0]
    draft.caption = draft.caption or caption_of(caption, credit)
    draft.loose = (caption, credit)


def caption_of(text: str, credit: str) -> str:
    return f"{text}（{credit}）"


def lift_trailing_byline(draft: Draft, text: str) -> str:
    """Cut a "（记者 张三）" printed after a paragraph's last sentence; it is the byline."""
    text = text.rstrip()
    match = TRAILING_BYLINE.search(text)
    if match is None or not NOTE_AFTER_END.search(text):
        return text
    draft.author = draft.author or tidy_author(match["who"])
    return text[: match.start()]
