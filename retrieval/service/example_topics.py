"""Topics for example questions from an article's lead, for articles without a real headline.

A headline derived from the first sentence (JSON Lines without `title`) is that sentence cut
short — 「IT之家 8 月 16 日消息，京东集团今日发布 Q2 财…」 — and makes a broken example. The
lead's own clauses, with the dateline and relative-day words removed, make real topics:
「京东集团发布Q2财报」. The service still asks each candidate question and keeps only the
ones the loaded news answers.
"""

from __future__ import annotations

import re

from retrieval.text import SENTENCE_END_MARKS, clean_spacing, has_cjk, split_sentences

# 「IT之家 8 月 16 日消息，」, 「本报讯（记者 白建伟）」, 「新华社北京8月16日电」, 「据X消息，」
_DATELINE = re.compile(
    r"^(?:[^，,。！？]{0,25}?(?:消息|电|讯|报道)(?:[（(][^）)]{0,20}[）)])?[，,：:\s]*)?"
    r"(?:据[^，,。]{1,20}(?:消息|报道)[，,]\s*)?"
)
_RELATIVE_DAY = re.compile(r"今日|今天|昨日|昨天|日前|近日")
# Clauses that lean on another (「为进一步…」, 「除了…外」, 「他与…」), only introduce what
# follows (「澎湃新闻注意到」), or are page furniture.
_NOT_A_TOPIC = re.compile(
    r"^(?:据|为|在|受|以|从|自|对|向|由|经|将|于|针对|随着|根据|按照|截至|当地时间|除了|该|他|她|其"
    r"|并|还|而|但|同时|此外|[（(\d])|获悉|正文|原标题|\d+月\d+日"
    r"|(?:注意到|了解到|表示|称|说|指出|介绍|报道|消息)$"
)
_CLAUSE_END = re.compile(rf"[{SENTENCE_END_MARKS}，,：:]")


def lead_topics(lead: str) -> list[str]:
    """Clauses of an article's first sentences that can stand as the topic of a question:
    the dateline (「IT之家 8 月 16 日消息，」, 「新华社北京8月16日电（记者 张三）」) and
    relative-day words (「今日」) removed, 6 to 30 characters, in reading order."""
    text = clean_spacing(_DATELINE.sub("", lead.strip(), count=1))
    text = _RELATIVE_DAY.sub("", text)
    clauses = [c.strip() for c in _CLAUSE_END.split(" ".join(split_sentences(text)[:2]))]
    return [
        c
        for c in clauses
        if 6 <= len(c) <= 30 and has_cjk(c) and not _NOT_A_TOPIC.search(c) and c[-1] != "的"
    ]
