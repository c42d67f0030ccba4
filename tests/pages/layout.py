"""What a generated page holds: its stories, how each is printed, and the expected articles.

A `PageSpec` says how the page is laid out (columns, furniture) and, per story, where its
headline stands (above or after the body), which headline parts and byline form it has,
whether it is a photo story, a brief or continued on another page. `expected` derives the
article a reader sees from that, which the renderers (`text_page`, `pdf_page`) never consult.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.pages.stories import Story

WEEKDAYS = "一二三四五六日"


@dataclass
class Item:
    """One story as printed on the page."""

    story: Story
    where: str = "above"  # headline "above" or "after" the body
    kicker: str = ""
    subtitle: str = ""
    byline: str = ""  # lead | mark | wentu | trail | plain | name | ""
    names: tuple[str, ...] = ("张清",)
    photo: bool = False  # a titled photo story: caption and credit, no other body
    caption: str = ""  # a photo inside the story: 「图为…」 caption printed after paragraph 3
    brief: str = ""  # "■" or "【】": an item of a briefs column
    jump_to: str = ""  # 「（下转第N版）」 after the body
    jump_from: str = ""  # 「（上接第N版）」 before the body
    vertical: bool = False  # headline set one character per line
    spaced: bool = False  # justified lines with spaces between the characters

    @property
    def paragraphs(self) -> list[str]:
        if self.photo or self.brief:
            return [self.story.paragraphs[0]]
        return list(self.story.paragraphs)

    @property
    def title(self) -> str:
        return self.story.title.replace(" ", "")[:8] if self.vertical else self.story.title


@dataclass
class PageSpec:
    """A page: paper, date, page number, columns and the stories in reading order."""

    name: str
    paper: str
    date: str  # ISO
    page: str
    columns: int
    items: list[Item]
    width: int = 14  # characters per text line
    column_lines: int = 12  # lines per column before a column break
    header: bool = True
    furniture: list[str] = field(default_factory=list)  # ad | slogan | qr | weather


def byline_text(item: Item) -> tuple[str, str]:
    """(how the byline is printed, the author the parser should report)."""
    a = item.names[0]
    b = item.names[1] if len(item.names) > 1 else "李明"
    return {
        "lead": (f"本报讯（记者 {a}）", f"记者 {a}"),
        "mark": (f"■ 记者 {a}", f"记者 {a}"),
        "wentu": (f"文/图 {a}", f"文/图 {a}"),
        "trail": (f"（记者 {a} 通讯员 {b}）", f"记者 {a} 通讯员 {b}"),
        "plain": (f"本报记者 {a} {b}", f"本报记者 {a} {b}"),
        "name": (a, a),
        "": ("", ""),
    }[item.byline]


def credit(item: Item) -> str:
    return f"全媒体记者 {item.names[0]} 摄"


def cn_date(iso: str) -> str:
    y, m, d = (int(p) for p in iso.split("-"))
    return f"{y}年{m}月{d}日"


def weekday(iso: str) -> str:
    import datetime

    return "星期" + WEEKDAYS[datetime.date.fromisoformat(iso).weekday()]


def sentences(text: str) -> list[str]:
    return re.findall(r"[^。！？]+[。！？][”」』]?", text)


def expected(spec: PageSpec) -> list[dict[str, str]]:
    """The articles a reader sees on the page, in reading order."""
    out = []
    for item in spec.items:
        paragraphs = item.paragraphs
        author = byline_text(item)[1]
        caption = ""
        if item.photo:
            author = credit(item).removesuffix(" 摄")
            caption = paragraphs[0] + f"（{credit(item)}）"
        elif item.caption:
            caption = item.caption
        out.append(
            {
                "title": item.title if not item.brief else item.story.title,
                "kicker": item.kicker.rstrip("：:"),
                "subtitle": item.subtitle,
                "author": author,
                "caption": caption,
                "first": sentences(paragraphs[0])[0],
                "last": sentences(paragraphs[-1])[-1],
                "source": spec.paper,
                "date": spec.date,
                "page": spec.page if spec.header else "",
            }
        )
    return out
