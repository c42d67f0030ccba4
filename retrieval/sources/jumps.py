"""Join an article continued on another page: 「（下转第2版）」 … 「（上接第1版）」.

Each part is parsed on its own page. When both pages of the edition are read in one ingest,
the part that jumps to page N and the part on page N that continues from the first part's
page (same paper, same date) become one article under the first part's headline. A part
whose other half is not there stays as it is, jump note included, so nothing is lost.
"""

from __future__ import annotations

import dataclasses

from retrieval.records import Article, Paragraph
from retrieval.sources.page_text import JUMP_FROM, JUMP_TO, ends_sentence


def join_jumps(articles: list[Article]) -> list[Article]:
    """The articles with every matched pair of jump parts joined, in the original order."""
    continuations = {
        id(a): match["n"]
        for a in articles
        if a.paragraphs and (match := JUMP_FROM.match(a.paragraphs[0].text))
    }
    used: set[int] = set()
    joined: dict[int, Article] = {}
    for first in articles:
        if not first.paragraphs:
            continue
        jump = JUMP_TO.search(first.paragraphs[-1].text)
        if jump is None:
            continue
        for second in articles:
            if id(second) in used or id(second) not in continuations:
                continue
            if _continues(first, jump["n"], second, continuations[id(second)]):
                joined[id(first)] = _join(first, second)
                used.add(id(second))
                break
    return [joined.get(id(a), a) for a in articles if id(a) not in used]


def _continues(first: Article, to_page: str, second: Article, from_page: str) -> bool:
    if (first.source, first.date) != (second.source, second.date):
        return False
    if second.page and second.page != to_page:
        return False
    return not (first.page and first.page != from_page)


def _join(first: Article, second: Article) -> Article:
    head = first.paragraphs[-1]
    head_text = JUMP_TO.sub("", head.text).rstrip()
    tail = second.paragraphs[0]
    tail_text = JUMP_FROM.sub("", tail.text, count=1).lstrip()
    if ends_sentence(head_text):
        middle = [Paragraph(head_text, head.heading), Paragraph(tail_text, tail.heading)]
    else:  # the sentence runs on across the jump
        middle = [Paragraph(head_text + tail_text, head.heading)]
    return dataclasses.replace(
        first,
        paragraphs=[*first.paragraphs[:-1], *middle, *second.paragraphs[1:]],
        caption=first.caption or second.caption,
        author=first.author or second.author,
    )
