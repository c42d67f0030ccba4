"""Example questions: taken from the newest headlines, kept only when the news answers them."""

from __future__ import annotations

import json
from pathlib import Path

from retrieval.service import NewsService
from retrieval.service.example_topics import lead_topics
from retrieval.service.examples import title_topics


async def test_every_example_is_answered_by_the_loaded_news(service: NewsService) -> None:
    examples = await service.examples()
    assert 1 <= len(examples.questions) <= 3
    for question in examples.questions:
        assert (await service.ask(question, record=False)).found
    assert examples.search_words and examples.article_id


async def test_examples_follow_the_news_loaded(service: NewsService, tmp_path: Path) -> None:
    before = await service.examples()
    assert await service.examples() is before  # nothing loaded since: the same examples
    story = {
        "id": "fresh", "title": "峨眉山景区推出夜游线路", "date": "2099-01-01",
        "text": "峨眉山景区推出夜游线路，游客可在夜间登山观景，线路全长12公里。",
    }
    path = tmp_path / "fresh.jsonl"
    path.write_text(json.dumps(story, ensure_ascii=False), "utf-8")
    await service.ingest([path])
    after = await service.examples()
    assert after.article_id == "fresh" and after is not before


def test_title_topics_are_the_headlines_phrases_longest_first() -> None:
    topics = title_topics("乐山农商银行：落地首笔转型贷款（图）")
    assert topics == ["落地首笔转型贷款", "乐山农商银行"]
    assert title_topics("图") == []


def test_lead_topics_skip_datelines_and_leaning_clauses() -> None:
    lead = (
        "IT之家 8 月 16 日消息，京东集团今日发布 Q2 财报，为进一步扩大规模，"
        "2023 年第二季度的营收为 2879 亿元。"
    )
    assert lead_topics(lead) == ["京东集团发布Q2财报"]
    assert lead_topics("新华社北京8月16日电（记者 张三）沪宁沿江高铁正式转入试运行阶段。") == [
        "沪宁沿江高铁正式转入试运行阶段"
    ]
