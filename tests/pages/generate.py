"""Build varied newspaper test pages from corpus stories, with each page's expected articles.

Run `python -m tests.pages.generate OUT_DIR` to write the pages (`*.txt`, `*.pdf`) and their
expected articles (`*.expected.json`) for a look; the tests build them the same way in a
temporary folder, since the corpus itself stays out of the repository.

Text pages: headline above / after the body, kicker and 「——」 subtitle, every byline form,
photo stories and captions with credits, a briefs column, jump lines across two pages,
letter-spaced justified lines, a vertical headline, an author's name before the headline,
headers, footers, ads, slogan, QR and weather boxes. PDF pages: two to four columns,
headline above, beside or after the body, a photo story, briefs, header, footer and an ad box.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.pages.layout import Item, PageSpec, expected
from tests.pages.render import pdf_page, text_page
from tests.pages.stories import Story, load_stories

_CAPTION = "图为活动现场。（图片来源：新华社）"


def text_specs(s: list[Story]) -> list[PageSpec]:
    """Six text pages of different layouts (plus the second page of a jump)."""
    return [
        PageSpec("t1_above", "江城晚报", "2023-08-16", "2", 2, [
            Item(s[0], "above", kicker="暑期出行提示", subtitle="多部门联合发布安全提醒",
                 byline="mark", names=("陈晓",)),
            Item(s[1], "above", byline="lead", names=("周宁",)),
            Item(s[2], "above", byline="trail", names=("孙丽", "赵一")),
        ], furniture=["ad", "qr"]),
        PageSpec("t2_after", "山城日报", "2023-07-25", "1", 3, [
            Item(s[3], "after", kicker="权威发布：", byline="lead", names=("白建伟",)),
            Item(s[4], "after"),
            Item(s[5], "after", photo=True, names=("刘洋",)),
            Item(s[6], "after", subtitle="一线见闻", byline="mark", names=("张清",)),
        ], width=13, furniture=["slogan"]),
        PageSpec("t3_briefs", "海滨日报", "2023-09-01", "4", 4, [
            Item(s[7], "above", byline="plain", names=("王强", "李娜")),
            Item(s[8], brief="■"),
            Item(s[9], brief="■"),
            Item(s[10], brief="【】"),
            Item(s[11], brief="【】"),
        ], width=12, furniture=["weather"]),
        PageSpec("t4_jump_a", "江城晚报", "2023-08-16", "1", 3, [
            Item(s[12], "above", byline="lead", names=("黄曦",)),
            Item(s[13], "above", subtitle="记者手记", byline="mark", names=("钱七",),
                 jump_to="2"),
        ]),
        PageSpec("t4_jump_b", "江城晚报", "2023-08-16", "2", 3, [
            Item(s[14], "above", jump_from="1"),
            Item(s[15], "above", byline="wentu", names=("郑红",), caption=_CAPTION),
        ]),
        PageSpec("t5_theory", "理论周刊", "2023-10-10", "9", 2, [
            Item(s[16], "above", byline="name", names=("刘伟",), spaced=True),
            Item(s[17], "above", byline="name", names=("杨帆",), vertical=True),
            Item(s[18], "above", photo=True, names=("吴迪",)),
        ], width=18, column_lines=9),
        PageSpec("t6_mixed", "新城日报", "2023-11-01", "", 2, [
            Item(s[19], "above", byline="trail", names=("马骏", "何平")),
            Item(s[20], "above", subtitle="专家解读", byline="wentu", names=("罗兰",)),
            Item(s[21], "above", kicker="聚焦民生", byline="lead", names=("谢雨",)),
        ], header=False, furniture=["ad"]),
    ]


def pdf_specs(s: list[Story]) -> list[PageSpec]:
    """Four PDF pages: two, three and four columns; headline above, beside and after."""
    return [
        PageSpec("p1_two_columns", "江城晚报", "2023-08-17", "1", 2, [
            Item(s[22], "above", kicker="暑期出行提示", byline="mark", names=("陈晓",)),
            Item(s[23], "above", subtitle="多部门联合发布", byline="lead", names=("周宁",)),
            Item(s[24], "above", photo=True, names=("刘洋",)),
        ], furniture=["ad"]),
        PageSpec("p2_three_columns", "山城日报", "2023-07-26", "3", 3, [
            Item(s[25], "above", byline="lead", names=("白建伟",), caption=_CAPTION),
            Item(s[26], "after", byline="trail", names=("孙丽", "赵一")),
            Item(s[27], "above", byline="wentu", names=("郑红",)),
        ]),
        PageSpec("p3_beside", "海滨日报", "2023-09-02", "5", 2, [
            Item(s[28], "beside", byline="plain", names=("王强", "李娜")),
            Item(s[29], "above", byline="mark", names=("钱七",)),
            Item(s[30], brief="■"),
            Item(s[31], brief="■"),
        ]),
        PageSpec("p4_four_columns", "理论周刊", "2023-10-11", "8", 4, [
            Item(s[32], "above", byline="name", names=("刘伟",)),
            Item(s[33], "above", kicker="聚焦民生", subtitle="专家解读", byline="lead",
                 names=("谢雨",)),
        ]),
    ]


def build(out: Path) -> list[Path]:
    """Write every page and its expected articles into `out`; return the page files."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    stories = load_stories(34)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in text_specs(stories):
        path = out / f"{spec.name}.txt"
        path.write_text(text_page(spec), encoding="utf-8")
        written.append(path)
        _expect(out, spec)
    for spec in pdf_specs(stories):
        path = out / f"{spec.name}.pdf"
        canvas = Canvas(str(path), pagesize=A4, invariant=True)
        pdf_page(spec, canvas)
        canvas.showPage()
        canvas.save()
        written.append(path)
        _expect(out, spec)
    return written


def _expect(out: Path, spec: PageSpec) -> None:
    data = json.dumps(expected(spec), ensure_ascii=False, indent=1)
    (out / f"{spec.name}.expected.json").write_text(data, encoding="utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data/pages")
    for page in build(target):
        print(page)
