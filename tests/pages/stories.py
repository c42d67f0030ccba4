"""Stories for generated test pages, taken from the shared news corpus.

The corpus has no title field; records starting with 「原标题：…」 carry one. Bodies are cut
to a few paragraphs of whole sentences, agency leads (「中新社北京7月25日电 (记者 …)」) are
removed so the page decides the byline form, and spacing is normalised the way a reader
sees the text (no layout spaces next to Chinese characters).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "eval" / "news-corpus.jsonl.gz"
_TITLE = re.compile(r"^原标题[:：]\s*(?P<title>\S[^。！？]{6,26}?)\s{2,}(?P<body>.+)$", re.S)
_LEAD = re.compile(
    r"^(?:[^。，]{0,30}(?:电|讯|报道)\s*[（(][^（）()]{1,30}[）)]|[^。，（(]{0,16}(?:社|网)[^。，]{0,12}电)\s*"
)
_SENTENCE = re.compile(r"[^。！？]+[。！？][”」』]?")


@dataclass(frozen=True)
class Story:
    """A headline and body paragraphs (whole sentences, normalised spacing)."""

    id: str
    title: str
    paragraphs: tuple[str, ...]


def normalise(text: str) -> str:
    """Spacing as a reader sees it: no spaces next to Chinese characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def load_stories(count: int, *, scan: int = 30000) -> list[Story]:
    """The first `count` usable stories of the corpus, in corpus order (deterministic)."""
    stories: list[Story] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n >= scan or len(stories) >= count:
                break
            story = _story(json.loads(line))
            if story is not None:
                stories.append(story)
    return stories


def _story(record: dict[str, str]) -> Story | None:
    match = _TITLE.match(record["text"])
    if match is None:
        return None
    title = normalise(match["title"]).replace("，", " ").replace(",", " ")
    if re.search(r"[：:、；;!?！？|（）()…]", title) or not 8 <= len(title) <= 24:
        return None
    paragraphs = []
    for raw in re.split(r"\s{2,}", match["body"].strip()):
        text = normalise(raw)
        sentences = _SENTENCE.findall(text if paragraphs else _LEAD.sub("", text))
        text = "".join(sentences[:3])
        if 30 <= len(text) <= 220 and not re.search(r"原标题|责任编辑|记者|摄|[■●【】]", text):
            paragraphs.append(text)
    if len(paragraphs) < 3:
        return None
    return Story(record["id"], title, tuple(paragraphs[:4]))
