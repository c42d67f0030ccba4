"""One reading of a newspaper page's classified blocks, in order: which blocks make which
article, and whether each headline titles the body above it or the body below.

`assemble` walks the page once with a fixed preference for ambiguous headlines (closing the
body above, or opening the body below) and says how badly that reading fits: headlines left
over, news stories left untitled, headlines that repeat little of their story. `newspaper`
walks each page both ways and keeps the better reading.
"""

from __future__ import annotations

import re

from retrieval.sources.page_blocks import Block, Kind, brief_parts, is_heading_shape
from retrieval.sources.page_draft import (
    Draft,
    add_paragraph,
    caption_of,
    continue_paragraph,
    lift_trailing_byline,
    take_caption,
)
from retrieval.sources.page_text import (
    CAPTION_START,
    DASH_PREFIX,
    JUMP_FROM,
    byline_author,
    normalise_body,
    normalise_headline,
    overlap,
    unspace,
)

# Body blocks of one article share a column, so their widths agree to within this much.
_WIDTH_TOLERANCE = 2.5
# A headline's words come back in the opening of its story: this much of it is compared.
_LEAD_CHARS = 200


class _Walk:
    """One reading of the page: the state machine over blocks and what it produced."""

    def __init__(self, blocks: list[Block], headline_first: bool) -> None:
        self.blocks = blocks
        self.headline_first = headline_first
        self.done: list[Draft] = []
        self.draft: Draft | None = None
        self.pending_author = ""
        self.pending_note = ""
        self.orphans = 0.0

    def close(self) -> None:
        if self.draft is not None and self.draft.paragraphs:
            self.done.append(self.draft)
        elif self.draft is not None and self.draft.headline:
            self.orphans += 1
        self.draft = None

    def open(self, *, front: bool = False, brief: bool = False) -> Draft:
        self.close()
        self.draft = Draft(author=self.pending_author, front=front, brief=brief)
        self.pending_author = ""
        return self.draft

    def cost(self) -> float:
        """How badly this reading fits: headlines left over, untitled news stories, and
        headlines that repeat little of the story they were given."""
        total = float(self.orphans)
        for draft in self.done:
            if draft.headline:
                # A headline that repeats little of its story's opening fits it less well.
                words = "".join(line for block in draft.headline for line in block)
                opening = "".join(text for text, _ in draft.paragraphs)[:_LEAD_CHARS]
                total += 1 - overlap(words, opening)
                continue
            first = draft.paragraphs[0][0]
            if JUMP_FROM.match(first):
                continue  # a continued part may be untitled
            # A news story (byline, lead) always has a headline; a commentary may not.
            total += 2 if (draft.author or draft.had_lead) else 0.5
        return total

    def run(self) -> None:
        i = 0
        while i < len(self.blocks):
            i = self.step(i)
        self.close()

    def step(self, i: int) -> int:
        block = self.blocks[i]
        kind = block.kind
        draft = self.draft
        if not block.content:
            return i + 1
        if kind is Kind.JUMP:
            self.jump_note(block)
        elif (
            draft is not None
            and draft.is_open
            and not draft.brief
            and kind in (Kind.BODY, Kind.HEADLINE)
            and block.lead is None
            and not (kind is Kind.HEADLINE and block.size > 1)
        ):
            continue_paragraph(draft, block)
        elif kind is Kind.BODY:
            self.body(block)
        elif kind is Kind.BRIEF:
            title, rest = brief_parts(block.lines) or ("", block.lines)
            new = self.open(front=True, brief=True)
            new.headline.append([normalise_headline(title)])
            new.sizes.append(0.0)
            if rest:
                add_paragraph(new, Block(rest, size=block.size, bbox=block.bbox))
            new.blocks.append(block)
        elif kind is Kind.HEADLINE:
            return self.headline(i)
        else:
            self.byline(block, i)
        return i + 1

    def body(self, block: Block) -> None:
        draft = self.draft
        if (
            draft is None
            or (draft.headline and not draft.front)
            or (block.lead is not None and draft.paragraphs)
            or draft.jumped
            or (draft.brief and draft.paragraphs)
            or _new_band(draft, block)
        ):
            draft = self.open()
        if self.pending_note:
            block = Block([self.pending_note, *block.lines], size=block.size, bbox=block.bbox)
            self.pending_note = ""
        add_paragraph(draft, block)

    def headline(self, i: int) -> int:
        """Read a headline group starting at blocks[i] and attach it above or below."""
        group: list[Block] = []
        j = i
        while j < len(self.blocks):
            block = self.blocks[j]
            if not block.content:
                j += 1
                continue
            if block.kind is not Kind.HEADLINE:
                break
            if group and self.draft is not None and self.draft.is_open:
                break
            if group and _ends_group(group[-1], block):
                break
            group.append(block)
            j += 1
        draft = self.draft
        if (
            len(group) == 1
            and draft is not None
            and draft.paragraphs
            and not (draft.headline and not draft.front)
            and _is_section_heading(group[0], self.blocks, j, draft)
        ):
            draft.heading = normalise_headline(group[0].lines[0]).strip("【】〖〗[]")
            return j
        body_after = _body_follows(self.blocks, j)
        photo = draft.loose if draft is not None else None
        above = (draft is not None and draft.untitled and not draft.brief) or photo is not None
        split: int | None
        if self.headline_first:
            split = 0 if body_after else (len(group) if above else None)
        else:
            split = len(group) if above else (0 if body_after and draft is not None else None)
        if above and body_after and draft is not None:
            above_text = photo[0] if photo else "".join(t for t, _ in draft.paragraphs)
            split = _best_split(group, above_text, _text_below(self.blocks, j), split)
        if split is None:
            self.orphans += 1 if self.done or draft is not None else 0.5  # a label on top
            return j
        back, ahead = group[:split], group[split:]
        if ahead and _unrelated(ahead, _text_below(self.blocks, j)[:_LEAD_CHARS]):
            ahead = []  # a label or box title (简讯, a slogan's caption), not this story's
        if not back and not ahead:
            self.orphans += 1 if self.done or draft is not None else 0.5  # a label on top
            return j
        if back and draft is not None:
            if photo is not None:
                self.photo_story(draft, photo, back)
            else:
                _add_headline(draft, back)
                if self.pending_author and not draft.author:
                    draft.author, self.pending_author = self.pending_author, ""
        if ahead:
            _add_headline(self.open(front=True), ahead)
        return j

    def photo_story(self, draft: Draft, photo: tuple[str, str], group: list[Block]) -> None:
        """The caption just taken from `draft` is a titled photo story of its own."""
        text, credit = photo
        draft.caption = draft.caption if draft.caption != caption_of(text, credit) else ""
        draft.loose = None
        self.close()
        story = Draft(paragraphs=[(text, "")], caption=caption_of(text, credit))
        story.author = byline_author(credit) if "摄" in credit else ""
        _add_headline(story, group)
        self.done.append(story)

    def byline(self, block: Block, i: int) -> None:
        draft = self.draft
        who = byline_author(block.lines[0])
        if block.kind is Kind.PHOTO_CREDIT and draft is not None and draft.paragraphs:
            take_caption(draft, re.sub(r"\s+", " ", unspace(block.lines[0])).lstrip("■□●◆ "))
        elif (draft is not None and draft.headline and draft.front and not draft.paragraphs) or (
            draft is not None
            and draft.untitled
            and not self.headline_first
            and _next_kind(self.blocks, i) is Kind.HEADLINE
        ):
            draft.author = draft.author or who
        else:
            self.close()
            self.pending_author = who

    def jump_note(self, block: Block) -> None:
        note = normalise_body(block.lines[0])
        draft = self.draft
        if not JUMP_FROM.match(note) and draft is not None and draft.paragraphs:
            text, heading = draft.paragraphs[-1]
            kept = lift_trailing_byline(draft, text + note)  # 「（记者 王五）」 on its own line
            draft.paragraphs[-1] = (kept, heading)
        else:
            self.pending_note = note


def assemble(blocks: list[Block], *, headline_first: bool) -> tuple[list[Draft], float]:
    """The articles of one reading of the page, and how badly that reading fits (`_Walk.cost`)."""
    walk = _Walk(blocks, headline_first)
    walk.run()
    return walk.done, walk.cost()


def _new_band(draft: Draft, block: Block) -> bool:
    """Does a finished article's body give way to another story's in a lower strip of a PDF
    page? (A column break inside one story stays in the same strip.)"""
    if draft.is_open or not draft.paragraphs or block.band < 0:
        return False
    if CAPTION_START.match(block.raw):
        return False  # a photo caption under the story's columns
    last = next((b for b in reversed(draft.blocks) if b.band >= 0), None)
    return last is not None and last.band != block.band


def _ends_group(last: Block, block: Block) -> bool:
    """Does a new headline start at `block`? After a —— subtitle, at a kicker (…：), or at
    a second frame of title type (in a PDF a wrapped title stays in one frame)."""
    if last.size >= 1.5 and abs(last.size - block.size) < 0.05 and last.bbox != block.bbox:
        return True
    tail = last.lines[-1]
    ends_with_subtitle = DASH_PREFIX.match(tail) is not None and tail[:1] in "—－"
    starts_kicker = len(block.lines) == 1 and re.search(r"[：:]$", block.lines[0]) is not None
    return ends_with_subtitle or (starts_kicker and not _is_kicker(last))


def _is_kicker(block: Block) -> bool:
    return len(block.lines) == 1 and re.search(r"[：:]$", block.lines[0]) is not None


def _add_headline(draft: Draft, group: list[Block]) -> None:
    for block in group:
        draft.headline.append(_headline_lines(block))
        draft.sizes.append(block.size)
        draft.blocks.append(block)


def _headline_lines(block: Block) -> list[str]:
    if len(block.lines) >= 3 and all(len(line.replace(" ", "")) == 1 for line in block.lines):
        return ["".join(line.strip() for line in block.lines)]  # set vertically
    return [normalise_headline(line) for line in block.lines]


def _body_follows(blocks: list[Block], j: int) -> bool:
    """Is the next content after a headline group (past bylines) a body to title?"""
    for block in blocks[j:]:
        if not block.content or block.kind in (Kind.BYLINE, Kind.JUMP):
            continue
        return block.kind is Kind.BODY
    return False


def _is_section_heading(block: Block, blocks: list[Block], j: int, draft: Draft) -> bool:
    """Is this headline-like block a heading inside the current body, not a headline?

    A heading is a single heading-shaped line between a finished paragraph and a body block
    of the same column width that is not the lead of a new story.
    """
    if not is_heading_shape(block.lines) or draft.is_open or block.size > 1:
        return False
    nxt = next((b for b in blocks[j:] if b.content), None)
    if nxt is None or nxt.kind is not Kind.BODY or nxt.lead is not None:
        return False
    return abs(nxt.width - draft.width) <= _WIDTH_TOLERANCE


def _next_kind(blocks: list[Block], i: int) -> Kind | None:
    """Kind of the next block that carries content, skipping dropped ones."""
    return next((b.kind for b in blocks[i + 1 :] if b.content), None)


def _best_split(group: list[Block], above: str, below: str, default: int | None) -> int | None:
    """How many of the group's blocks title the text above (the rest title the text below),
    by which body repeats their words; the layout's default unless another split is clearly
    better."""
    def score(k: int) -> float:
        back = "".join(line for b in group[:k] for line in b.lines)
        ahead = "".join(line for b in group[k:] for line in b.lines)
        total = len(back) + len(ahead) or 1
        return (len(back) * overlap(back, above) + len(ahead) * overlap(ahead, below)) / total

    best = max(range(len(group) + 1), key=score)
    if default is None or score(best) - score(default) >= 0.15:
        return best
    return default


def _unrelated(group: list[Block], body: str) -> bool:
    """A headline that shares no pair of characters with a body of some length is not its
    headline: stories repeat the words of their headline."""
    text = "".join(line for b in group for line in b.lines)
    return len(body) >= 60 and overlap(text, body) == 0.0


def _text_below(blocks: list[Block], j: int) -> str:
    """The body text after a headline group, up to the next headline."""
    out = []
    for block in blocks[j:]:
        if block.kind is Kind.HEADLINE:
            break
        if block.kind is Kind.BODY:
            out.append(block.raw)
    return "".join(out)
