"""Compare parsed articles with a generated page's expected articles, field by field.

Articles are matched by title (spaces ignored, since a wrapped headline may join with one);
each expected article's fields are then checked on its match. The result lists every
mismatch, so a failing test says which page, which article and which field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.records import Article

_JUMP = re.compile(r"[（(](?:上接|下转)第[A-Z]?\d+版[）)]")


@dataclass
class Score:
    """How a page came out: counts and the list of mismatches."""

    page: str
    expected: int = 0
    found: int = 0
    titles: int = 0
    authors: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.page}: articles {self.found}/{self.expected}, exact titles "
            f"{self.titles}/{self.expected}, authors {self.authors}/{self.expected}"
        )


def _key(title: str) -> str:
    return re.sub(r"\s+", "", title)


def load_expected(page: Path) -> list[dict[str, str]]:
    name = page.name.rsplit(".", 1)[0] + ".expected.json"
    data: list[dict[str, str]] = json.loads((page.parent / name).read_text(encoding="utf-8"))
    return data


def compare(page: str, articles: list[Article], expected: list[dict[str, str]]) -> Score:
    """Score parsed `articles` against `expected` (see `Score`)."""
    score = Score(page, expected=len(expected), found=len(articles))
    if len(articles) != len(expected):
        got = [a.title for a in articles]
        score.problems.append(f"{len(articles)} articles, expected {len(expected)}: {got}")
    by_title = {_key(a.title): a for a in articles}
    for want in expected:
        article = by_title.get(_key(want["title"]))
        if article is None:
            score.problems.append(f"missing title {want['title']!r}")
            continue
        score.titles += article.title == want["title"]
        score.authors += article.author == want["author"]
        text = _JUMP.sub("", article.text)
        checks = {
            "title": article.title,
            "kicker": article.kicker,
            "subtitle": article.subtitle,
            "author": article.author,
            "caption": article.caption,
            "source": article.source,
            "date": article.date,
        }
        for name, got in checks.items():
            if got != want[name]:
                score.problems.append(f"{want['title']}: {name} {got!r} != {want[name]!r}")
        if not text.startswith(want["first"]):
            score.problems.append(f"{want['title']}: starts {text[:30]!r}")
        if not text.endswith(want["last"]):
            score.problems.append(f"{want['title']}: ends {text[-30:]!r}")
        if want["page"] and article.page != want["page"]:
            score.problems.append(f"{want['title']}: page {article.page!r} != {want['page']!r}")
    return score
