"""Summaries (retrieval.service.summaries) through NewsService on the seed page."""

from __future__ import annotations

from retrieval.service import NewsService
from tests.conftest import SEED_PAGE

PAGE = SEED_PAGE.stem


async def test_summaries(service: NewsService) -> None:
    one = await service.summarize(f"{PAGE}-3")
    assert one.kind == "article" and len(one.items[0].sentences) <= 3
    assert "亚庆农牧" in "".join(one.items[0].sentences)
    digest = await service.summarize()
    assert digest.kind == "digest" and len(digest.items) == 5
    topic = await service.summarize("乐山 项目建设")
    assert topic.kind == "topic" and topic.items
    assert len({i.article_id for i in topic.items}) == len(topic.items)
