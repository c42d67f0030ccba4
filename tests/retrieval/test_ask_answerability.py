"""End to end over the seed page: `ask` answers what the page says and refuses the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.service import NewsService, QueryError


async def test_answerable_question_is_found(service: NewsService) -> None:
    answer = await service.ask("乐山农商银行向哪家公司发放了贷款？")
    assert answer.found and answer.kind == "question"
    assert "亚庆农牧" in answer.sentence and answer.missing == []


async def test_an_answer_covering_little_of_the_question_is_tentative(
    service: NewsService,
) -> None:
    # Right, but the sentence (「…缺乏具有引领性、标志性的重大项目」) holds few of the
    # question's words: shown as found, with a word of caution.
    weak = await service.ask("评论说乐山缺乏什么级别的重大项目？")
    assert weak.found and weak.confidence < 0.4 and weak.tentative
    strong = await service.ask("乐山农商银行向哪家公司发放了贷款？")
    assert strong.found and strong.confidence >= 0.4 and not strong.tentative


async def test_near_miss_says_what_is_missing_and_keeps_related(service: NewsService) -> None:
    answer = await service.ask("乐山农商银行的董事长是谁？")
    assert not answer.found and answer.sentence == ""
    assert "role:董事长" in answer.missing
    assert answer.hits and "乐山农商银行" in answer.hits[0].text


async def test_future_year_is_not_answered_from_this_page(service: NewsService) -> None:
    answer = await service.ask("乐山农商银行2027年新增绿色贷款多少亿元？")
    assert not answer.found and "about:2027" in answer.missing


async def test_absent_entity(service: NewsService) -> None:
    answer = await service.ask("青衣江文旅集团现任董事长是谁？")
    assert not answer.found and answer.missing


async def test_missing_answer_type(service: NewsService) -> None:
    answer = await service.ask("柏林村的荷塘是哪一年开挖的？")
    assert not answer.found
    assert "type:date" in answer.missing


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你好", "chitchat"),
        ("你今天心情怎么样？", "chitchat"),
        ("你是谁", "chitchat"),  # every word a stopword: still small talk, not an error
        ("37乘以48等于多少？", "offtopic"),
    ],
)
async def test_not_a_question_gets_no_answer(service: NewsService, text: str, kind: str) -> None:
    answer = await service.ask(text)
    assert not answer.found and answer.kind == kind and answer.hits == []


async def test_bare_keyword_gets_search_results(service: NewsService) -> None:
    answer = await service.ask("柏林村")
    assert not answer.found and answer.kind == "search"
    assert answer.hits and "柏林村" in answer.hits[0].text


async def test_punctuation_only_is_not_searchable(service: NewsService) -> None:
    with pytest.raises(QueryError):
        await service.ask("？？")


async def test_traditional_question_is_found(service: NewsService) -> None:
    answer = await service.ask("柏林村的荷塘有多少畝？")
    assert answer.found and "300亩" in answer.sentence



async def test_a_sentence_sharing_no_word_with_the_question_is_no_answer(tmp_path: Path) -> None:
    # The place in the quote stands next to the sentence about the official, not in it:
    # the neighbour lends it context in the ranking, but it says nothing of the official.
    text = (
        "井研县委书记陈剑波带队到重点项目现场调研。"
        "“五通桥区企业争分夺秒抓进度，尖刀队等做法值得我们深入学习借鉴。”"
    )
    path = tmp_path / "visit.jsonl"
    path.write_text(json.dumps({"id": "visit", "title": "", "text": text}, ensure_ascii=False))
    service = await NewsService.open(tmp_path / "visit.db")
    try:
        await service.ingest([path])
        answer = await service.ask("井研县委书记陈剑波是哪里人？")
    finally:
        await service.close()
    assert not answer.found and "type:place" in answer.missing
    assert answer.hits and answer.hits[0].article_id == "visit"


async def test_a_question_in_the_article_is_no_answer(tmp_path: Path) -> None:
    # The headline asks what the reader asks and names a place besides: it passes every
    # check of a where question, but it asks; the report below it tells.
    asking = "峰会在北京闭幕，下届峰会将在哪个城市举行？"
    telling = "主办方宣布，下届峰会将在上海举行。"
    path = tmp_path / "summit.jsonl"
    rows = [
        {"id": "ask", "title": "", "text": asking},
        {"id": "tell", "title": "", "text": "会议期间各方交流广泛。" + telling},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    service = await NewsService.open(tmp_path / "summit.db")
    try:
        await service.ingest([path])
        answer = await service.ask("下届峰会将在哪个城市举行？")
    finally:
        await service.close()
    assert answer.found and answer.sentence == telling


async def test_what_is_missing_is_told_of_the_closest_story(tmp_path: Path) -> None:
    # Another bank's story ranks first (it names a 农商银行 and its 董事长 twice); the reply
    # must not say the news never mentions 乐山农商银行, which the second story is about.
    rows = [
        {"id": "other", "title": "", "text": "益阳农商银行董事长阳烨被查。益阳农商银行原董事长"
                                             "阳烨主要存在搞权钱交易问题，董事长一职暂缺。"},
        {"id": "loan", "title": "", "text": "近日，乐山农商银行成功向亚庆农牧发放380万元"
                                            "农业转型贷款。"},
    ]
    path = tmp_path / "banks.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    service = await NewsService.open(tmp_path / "banks.db")
    try:
        await service.ingest([path])
        answer = await service.ask("乐山农商银行的董事长是谁？")
    finally:
        await service.close()
    assert not answer.found and answer.hits[0].article_id == "other"
    assert "role:董事长" in answer.missing and "乐山农商银行" not in answer.missing


async def test_a_name_the_news_has_elsewhere_is_not_called_absent(tmp_path: Path) -> None:
    # The canteen stories rank first and none names 华为; the news does, in stories about
    # phones (so many that 华为 weighs little) that rank too low to be checked. The reply must
    # not say the news has no story on 华为: only that the related stories do not mention it.
    companies = ["小米", "联想", "美团", "京东", "百度", "网易", "腾讯"]
    rows = [
        {"id": f"canteen-{i}", "title": "", "text": f"{name}员工食堂一顿饭多少钱？"
                                                   f"{name}员工食堂的午饭一顿{10 + i}元。"}
        for i, name in enumerate(companies)
    ]
    rows += [
        {"id": f"phone-{i}", "title": "", "text": f"华为发布第{i}款新手机，售价{3000 + i}元。"}
        for i in range(20)
    ]
    path = tmp_path / "canteens.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    service = await NewsService.open(tmp_path / "canteens.db")
    try:
        await service.ingest([path])
        answer = await service.ask("华为员工食堂一顿饭多少钱？")
        absent = await service.ask("鸿蒙员工食堂一顿饭多少钱？")
    finally:
        await service.close()
    assert not answer.found and all(h.article_id.startswith("canteen") for h in answer.hits)
    assert "about:华为" in answer.missing and "华为" not in answer.missing
    assert not absent.found and "鸿蒙" in absent.missing
