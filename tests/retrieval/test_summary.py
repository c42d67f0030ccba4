"""retrieval.summary: extractive summaries in article order, lead first, no repeats."""

from __future__ import annotations

from retrieval.summary import summarize


def words(text: str) -> list[str]:
    return text.replace("。", " ").split()


PARAGRAPHS = [
    "乐山 大佛 博物馆 七月 开馆 展出 文物。",
    "乐山 大佛 博物馆 七月 开馆 展出 文物。",  # a repeat must not be picked twice
    "博物馆 总 投资 二 亿 元 文物 三百 件。",
    "当天 天气 晴朗 适合 出行 游玩 散步。",
]


def test_summary_keeps_article_order_and_starts_with_the_lead() -> None:
    chosen = summarize(PARAGRAPHS, words, max_sentences=2)
    assert chosen[0] == PARAGRAPHS[0]
    assert len(chosen) == 2 and len(set(chosen)) == 2
    assert [PARAGRAPHS.index(s) for s in chosen] == sorted(PARAGRAPHS.index(s) for s in chosen)


def test_summary_respects_the_character_budget() -> None:
    chosen = summarize(PARAGRAPHS, words, max_sentences=3, max_chars=30)
    assert chosen == [PARAGRAPHS[0]]  # the lead always; nothing else fits in 30 chars


def test_short_texts_give_their_first_sentence() -> None:
    assert summarize(["短。", "也短。"], words) == ["短。"]
    assert summarize([], words) == []
