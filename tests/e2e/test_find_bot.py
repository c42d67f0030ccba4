"""Finding news in the bot: search syntax, the 按时间/按相关度 button, news of a time, /sources,
and engine errors in Chinese (through the fake Bot API server)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import texts
from bot.app import build_application
from bot.config import Settings
from bot.state import App
from retrieval import NewsService

from .conftest import USER_ID, running
from .fake_bot_api import FakeBotApi
from .test_bot import ask, button_data, plain

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

RECORDS = [
    ("jul-01", "2023-07-01", "乐山日报", "乐山大佛景区暑期游客大幅增长，景区开通夜游。"),
    ("jul-12", "2023-07-12", "乐山日报", "乐山大佛景区推出夜游项目，游客可以乘船观赏大佛。"),
    ("jul-20", "2023-07-20", "四川日报", "成都大运会开幕在即，乐山大佛景区迎来外地游客。"),
    ("aug-03", "2023-08-03", "四川日报", "乐山大佛景区门票预约系统升级，游客需提前一天预约。"),
    ("aug-15", "2023-08-15", "成都商报", "成都地铁新线开通，市民出行更方便。"),
]
for n in range(8):  # enough passages on 游客 for two pages
    RECORDS.append((f"jun-{n}", f"2023-06-{n + 10}", "乐山日报", f"峨眉山第{n}号观景台接待游客。"))


@pytest.fixture
async def news(tmp_path: Path) -> AsyncIterator[NewsService]:
    path = tmp_path / "dated.jsonl"
    lines = [
        json.dumps({"id": i, "date": d, "source": s, "text": t}, ensure_ascii=False)
        for i, d, s, t in RECORDS
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    service = await NewsService.open(tmp_path / "t.db")
    await service.ingest([path])
    service.today = lambda: dt.date(2026, 11, 25)
    yield service
    await service.close()


@pytest.fixture
async def bot(api: FakeBotApi, settings: Settings, news: NewsService) -> AsyncIterator[App]:
    async with running(build_application(settings, news)) as application:
        yield application


async def test_search_syntax_filters_in_the_bot(api: FakeBotApi, bot: App) -> None:
    text = plain(await ask(api, "/search 乐山大佛 游客 source:四川日报 -预约"))
    assert "成都大运会" in text and "乐山日报" not in text and "预约" not in text
    text = plain(await ask(api, '/search 游客 "夜游项目" since:2023-07 until:2023-07-31'))
    assert "1. 乐山大佛景区推出夜游项目" in text and "2. " not in text
    question = plain(await ask(api, "乐山大佛景区推出了什么项目？ source:四川日报"))
    assert "推出夜游项目" not in question  # the filter applies to plain questions too


async def test_a_bad_filter_value_is_explained_in_chinese(api: FakeBotApi, bot: App) -> None:
    text = plain(await ask(api, "/search 乐山 since:上周"))
    assert text == texts.QUERY_BAD_DATE.format(field="since", value="上周")
    assert "\n" not in text and "needs a date" not in text
    assert plain(await ask(api, "/search 乐山 since:2023-08 until:2023-07")) == (
        texts.QUERY_BAD_RANGE
    )
    assert plain(await ask(api, "乐山 source:")) == texts.QUERY_BAD_SOURCE


async def test_sort_button_edits_the_same_message(api: FakeBotApi, bot: App) -> None:
    first = await ask(api, "/search 游客")
    message_id = api.last_message(USER_ID).message_id
    labels = [b["text"] for row in first["reply_markup"]["inline_keyboard"] for b in row]
    assert texts.SORT_BY_DATE in labels
    by_date = next(d for d in button_data(first) if d.endswith(":0:d"))
    api.press_button(message_id, by_date)
    edit = await api.wait_for("editMessageText")
    assert edit["message_id"] == message_id and "（按时间）" in plain(edit)
    shown = plain(edit).split("\n\n", 1)[1]
    assert shown.index("2023年8月3日") < shown.index("2023年7月20日") < shown.index("2023年7月12日")
    forward = next(d for d in button_data(edit) if d.endswith(":1:d"))  # pages stay by date
    api.press_button(message_id, forward)
    page_two = await api.wait_for("editMessageText")
    assert "第 2 页（按时间）" in plain(page_two)
    back = next(d for d in button_data(page_two) if d.endswith(":0") and d.startswith("pg:"))
    api.press_button(message_id, back)
    relevance = await api.wait_for("editMessageText")
    assert plain(relevance) == plain(first)


async def test_news_of_a_time_newest_first_or_nothing(api: FakeBotApi, bot: App) -> None:
    july = plain(await ask(api, "2023年7月乐山有什么新闻？"))
    assert july.startswith("🗓 2023年7月的新闻（2023-07-01 至 2023-07-31，最新的在前）")
    listed = july.split("\n\n", 1)[1]
    jul_20, jul_12 = listed.index("2023年7月20日"), listed.index("2023年7月12日")
    assert jul_20 < jul_12 < listed.index("2023年7月1日")
    assert "2023年8月3日" not in listed
    recent = plain(await ask(api, "最近有什么新闻？"))
    assert recent.startswith("🗓 最近的新闻（2023-08-09 至 2023-08-15") and "成都地铁" in recent
    old = plain(await ask(api, "2019年有什么新闻？"))
    assert old == texts.TIME_NONE.format(label="2019年", since="2019-01-01", until="2019-12-31")
    yesterday = plain(await ask(api, "昨天发生了什么？"))
    assert yesterday.startswith("已载入的新闻中没有昨天（2026-11-24 至 2026-11-24）")


async def test_sources_lists_publications(api: FakeBotApi, bot: App) -> None:
    text = plain(await ask(api, "/sources"))
    assert text.splitlines() == [
        "🗞 新闻来源",
        "• 乐山日报：10 篇，最新 2023-07-12",
        "• 四川日报：2 篇，最新 2023-08-03",
        "• 成都商报：1 篇，最新 2023-08-15",
    ]
    assert "sources" in [c["command"] for c in api.commands()]


async def test_start_examples_are_real_questions_without_titles(api: FakeBotApi, bot: App) -> None:
    text = plain(await ask(api, "/start"))
    tried = text[text.index("可以试试") :].splitlines()
    examples = [line[2:] for line in tried if line.startswith("• ") and "？" in line]
    assert examples
    leads = [t for _, _, _, t in RECORDS]
    for question in examples:
        assert "…" not in question and question.endswith("是怎么回事？"), question
        topic = question.removesuffix("是怎么回事？")
        assert any(topic in lead for lead in leads)  # a clause of a lead, not a cut title
        answer = plain(await ask(api, question))
        assert answer.startswith("💡") and topic in answer, question
