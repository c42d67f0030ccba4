"""Finding news by filters, date order and time (NewsService.search/ask/sources)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from retrieval import NewsService, QuerySyntaxError

#: (id, date, source, text): three publications over two months, one article undated.
RECORDS = [
    ("jul-01", "2023-07-01T09:00:00", "乐山日报", "乐山大佛景区暑期游客大幅增长，景区开通夜游。"),
    ("jul-12", "2023-07-12", "乐山日报", "乐山大佛景区推出夜游项目，游客可以乘船观赏大佛。"),
    ("jul-20", "2023-07-20", "四川日报", "成都大运会开幕在即，乐山大佛景区迎来外地游客。"),
    ("aug-03", "2023-08-03", "四川日报", "乐山大佛景区门票预约系统升级，游客需提前一天预约。"),
    ("aug-15", "2023-08-15", "成都商报", "成都地铁新线开通，市民出行更方便。"),
    ("undated", "", "乐山日报", "乐山大佛景区志愿者为游客提供讲解服务。"),
]


@pytest.fixture
async def news(tmp_path: Path) -> AsyncIterator[NewsService]:
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": i, "date": d, "source": s, "text": t}, ensure_ascii=False)
        for i, d, s, t in RECORDS
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    service = await NewsService.open(tmp_path / "news.db")
    await service.ingest([path])
    service.today = lambda: dt.date(2026, 11, 25)
    yield service
    await service.close()


def ids(hits: list[object]) -> list[str]:
    return [h.article_id for h in hits]  # type: ignore[attr-defined]


async def test_source_and_date_filters(news: NewsService) -> None:
    everything = set(ids((await news.search("乐山大佛 游客")).hits))
    assert {"jul-01", "jul-12", "jul-20", "aug-03", "undated"} <= everything
    only = await news.search("乐山大佛 游客 source:乐山日报")
    assert set(ids(only.hits)) == {"jul-01", "jul-12", "undated"}
    july = await news.search("乐山大佛 游客 since:2023-07-10 until:2023-07")
    assert set(ids(july.hits)) == {"jul-12", "jul-20"}
    both = await news.search("乐山大佛 source:四川 since:2023-08")
    assert ids(both.hits) == ["aug-03"]


async def test_phrases_and_exclusions(news: NewsService) -> None:
    phrase = await news.search('游客 "夜游项目"')
    assert ids(phrase.hits) == ["jul-12"]
    without = await news.search("乐山大佛 游客 -夜游 -预约")
    assert set(ids(without.hits)) == {"jul-20", "undated"}
    assert "夜游" not in without.query and without.terms  # the excluded word does not rank


async def test_a_phrase_ranked_below_the_candidate_pool_is_still_found(
    news: NewsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The phrase narrows the search through its bigrams before the ranking's cut."""
    import retrieval.service.questions as questions

    monkeypatch.setattr(questions, "FILTERED_CANDIDATES", 1)
    monkeypatch.setattr(questions, "CANDIDATES", 1)
    # The query's other words rank aug-03 first; the phrase only stands in jul-12.
    query = '门票 预约 系统 升级 提前 一天 "乘船观赏"'
    assert ids((await news.search(query.replace('"', ""), k=1)).hits) == ["aug-03"]
    assert ids((await news.search(query, k=1)).hits) == ["jul-12"]
    # A phrase commoner than the scan limit goes back to filtering BM25's candidates.
    monkeypatch.setattr(questions, "PHRASE_SCAN", 0)
    assert ids((await news.search(query, k=1)).hits) == []


async def test_date_order_lists_the_same_passages_newest_first(news: NewsService) -> None:
    relevance = await news.search("乐山大佛 游客")
    newest = await news.search("乐山大佛 游客", sort="date")
    assert newest.sort == "date" and set(ids(newest.hits)) == set(ids(relevance.hits))
    dates = [h.date for h in newest.hits]
    assert dates == sorted(dates, reverse=True) and ids(newest.hits)[0] == "aug-03"
    with pytest.raises(ValueError):
        await news.search("乐山", sort="random")


async def test_filters_alone_list_the_newest_matching_articles(news: NewsService) -> None:
    listed = await news.search("source:乐山日报")
    assert ids(listed.hits) == ["jul-12", "jul-01", "undated"]
    paged = await news.search("source:乐山日报", k=1, offset=1)
    assert ids(paged.hits) == ["jul-01"] and paged.hits[0].rank == 2


async def test_bad_filter_values_raise_a_syntax_error(news: NewsService) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        await news.search("乐山 since:2023-7-99")
    assert caught.value.field == "since"


async def test_questions_take_the_filters_too(news: NewsService) -> None:
    answer = await news.ask("乐山大佛景区推出了什么项目？ source:四川日报")
    assert set(ids(answer.hits)) <= {"jul-20", "aug-03"}


async def test_news_of_a_time_is_listed_newest_first(news: NewsService) -> None:
    recent = await news.ask("最近有什么新闻？")  # the loaded news' last seven days
    assert recent.found and recent.window is not None
    assert (recent.window.since, recent.window.until) == ("2023-08-09", "2023-08-15")
    assert ids(recent.hits) == ["aug-15"] and recent.sentence == ""
    # nothing on 乐山 in those days: the newest news on 乐山 instead, and from when it is
    leshan = await news.ask("乐山最近有什么新闻？")
    assert leshan.found and ids(leshan.hits)[:3] == ["aug-03", "jul-20", "jul-12"]
    assert leshan.window is not None and leshan.window.until == "2023-08-03"
    july = await news.ask("2023年7月乐山有什么新闻？")
    assert july.found and ids(july.hits) == ["jul-20", "jul-12", "jul-01"]
    all_july = await news.ask("2023年7月有什么新闻？")
    assert ids(all_july.hits) == ["jul-20", "jul-12", "jul-01"]


async def test_a_time_the_news_does_not_cover_gets_nothing(news: NewsService) -> None:
    old = await news.ask("2019年乐山有什么新闻？")
    assert not old.found and old.hits == [] and old.window is not None
    assert old.window.label == "2019年"
    yesterday = await news.ask("昨天发生了什么？")
    assert not yesterday.found and yesterday.window is not None
    assert yesterday.window.since == "2026-11-24"


async def test_sources_count_articles_and_newest_date(news: NewsService) -> None:
    rows = {r.name: (r.articles, r.newest) for r in await news.sources()}
    assert rows == {
        "乐山日报": (3, "2023-07-12"),
        "四川日报": (2, "2023-08-03"),
        "成都商报": (1, "2023-08-15"),
    }
