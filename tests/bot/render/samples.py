"""What the rendering tests share: a passage to render, and the text Telegram would show."""

from __future__ import annotations

from bot import callbacks
from retrieval import Hit
from tests.e2e.fake_bot_api import parse_html


def hit(rank: int = 1, text: str = "乐山农商银行发放贷款。", **kw: object) -> Hit:
    values: dict[str, object] = {
        "rank": rank,
        "score": 1.0,
        "text": text,
        "article_id": "a1",
        "title": "标题",
        "date": "2025-06-10T08:00:00",  # naive: UTC; 16:00 in Shanghai
        "source": "乐山日报",
        "url": "",
        "paragraph": 0,
        "terms": ["乐山", "贷款"],
    }
    values.update(kw)
    return Hit(**values)  # type: ignore[arg-type]


def valid(html_text: str) -> str:
    """The visible text; raises if Telegram would reject the HTML."""
    return parse_html(html_text)[0]


def button(article_id: str) -> str:
    return callbacks.summary_data(article_id) or "sk:KEY"
