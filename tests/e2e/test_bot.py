"""The real bot Application, polling the fake Bot API server, over a seeded NewsService."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest

from bot import texts
from bot.app import build_application
from bot.config import Settings
from bot.html_split import split_html
from bot.limits import SlidingWindowLimiter
from bot.render.answers import article as render_article
from bot.state import App
from retrieval import NewsService
from tests.conftest import open_seeded

from .conftest import ADMIN_ID, USER_ID, make_settings, running, state
from .fake_bot_api import DEFAULT_GROUP_ID, FakeBotApi, parse_html, utf16_len

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

LOAN_QUESTION = "乐山农商银行向哪家公司发放了贷款？"
LOAN_ANSWER = "乐山农商银行成功向乐山市亚庆农牧科技有限责任公司"
JSON = dict[str, Any]


def to(chat_id: int) -> Any:
    """Predicate: a call addressed to `chat_id`."""
    return lambda params: params.get("chat_id") == chat_id


async def ask(api: FakeBotApi, text: str, user_id: int = USER_ID, **kwargs: Any) -> JSON:
    """Send `text` as `user_id` in a private chat and return the bot's next message there."""
    api.send_message(text, user_id=user_id, **kwargs)
    return await api.wait_for("sendMessage", to(user_id))


def button_data(params: JSON) -> list[str]:
    rows = (params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def plain(params: JSON) -> str:
    """The text a client shows (the fake server already validated the HTML)."""
    return parse_html(params["text"])[0]


def write_jsonl(path: Path, records: list[JSON]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    return path


# ------------------------------------------------------------------ /start, /help


async def test_start_describes_the_news_and_gives_working_examples(
    api: FakeBotApi, bot: App
) -> None:
    reply = await ask(api, "/start")
    text = plain(reply)
    assert "5 篇文章" in text and "000_844d4cf99fbf511c.txt" in text
    assert f"@{api.bot_username}" in text
    tried = text[text.index("可以试试") :].splitlines()
    examples = [line[2:] for line in tried if line.startswith("• ") and "？" in line]
    assert examples
    titles = [row.title for row in await state(bot).news.articles(20)]
    for question in examples:
        assert any(question.rstrip("？") in title for title in titles)  # derived, not hard-coded
        answer = await ask(api, question)
        assert plain(answer).startswith("💡"), question  # every example really gets an answer
    assert plain(await ask(api, "/help")) == text
    assert [c["command"] for c in api.commands()] == [c for c, _ in texts.COMMANDS]
    admin_scope = {"type": "chat", "chat_id": ADMIN_ID}
    assert {
        "command": "reindex",
        "description": "重新载入数据并重建索引（管理员）",
    } in api.commands(admin_scope)


# ------------------------------------------------------------------ questions


async def test_question_gets_sentence_passages_sources_and_summary_buttons(
    api: FakeBotApi, bot: App
) -> None:
    reply = await ask(api, LOAN_QUESTION)
    text = plain(reply)
    assert text.startswith("💡") and LOAN_ANSWER in text
    assert "相关段落" in text and text.count("— 落地符合农业转型金融标准贷款") >= 2
    assert text.count("000_844d4cf99fbf511c.txt") >= 3  # every passage names its source
    bold = {text_fragment(reply, e) for e in parse_html(reply["text"])[1] if e["type"] == "bold"}
    assert "乐山农商银行" in bold and "贷款" in bold
    assert button_data(reply) == ["sm:000_844d4cf99fbf511c-3"]
    assert reply["parse_mode"] == "HTML"
    typing = api.calls_to("sendChatAction")
    assert typing and typing[0] == {**typing[0], "chat_id": USER_ID, "action": "typing"}


def text_fragment(params: JSON, entity: JSON) -> str:
    text = plain(params).encode("utf-16-le")
    start, length = entity["offset"] * 2, entity["length"] * 2
    return text[start : start + length].decode("utf-16-le")


async def test_unanswerable_question_says_so_and_suggests_search(api: FakeBotApi, bot: App) -> None:
    text = plain(await ask(api, "火星探测器什么时候发射？"))
    assert "没有找到" in text and "火星探测器什么时候发射？" in text and "/search 火星" in text
    text = plain(await ask(api, "？？！！"))
    assert text == texts.NOT_SEARCHABLE


async def test_markup_in_questions_is_escaped_and_still_renders(api: FakeBotApi, bot: App) -> None:
    hostile = "<b>火星</b> & <script>alert(1)</script> 探测器？"
    reply = await ask(api, hostile)
    assert hostile in plain(reply)  # shown literally, not interpreted
    assert "&lt;script&gt;" in reply["text"] and "<script>" not in reply["text"]
    reply = await ask(api, f"{LOAN_QUESTION}<&>")
    assert LOAN_ANSWER in plain(reply)
    reply = await ask(api, "/search <b>乐山</b> & <script>")
    assert plain(reply).startswith("🔎 「<b>乐山</b> & <script>」 第 1 页")
    assert not api.calls_to("sendMessage", ok=False)


async def test_source_title_links_to_the_article_url(
    api: FakeBotApi, bot: App, news: NewsService, tmp_path: Path
) -> None:
    record = {
        "id": "evening-1",
        "title": "嘉州晚报：大渡河<新桥>合龙",
        "url": "https://news.example.com/a?id=1&x=2",
        "date": "2025-06-20",
        "source": "嘉州晚报",
        "text": "6月19日，大渡河新桥顺利合龙，这座大桥全长1200米。\n大桥预计年底通车。",
    }
    await news.ingest([write_jsonl(tmp_path / "evening.jsonl", [record])])
    reply = await ask(api, "/search 大渡河新桥")
    links = [e for e in parse_html(reply["text"])[1] if e["type"] == "text_link"]
    assert links and links[0]["url"] == record["url"]
    assert "嘉州晚报：大渡河<新桥>合龙 · 2025年6月20日 · 嘉州晚报" in plain(reply)


# ------------------------------------------------------------------ /search and pages


async def test_search_pages_forward_and_back_then_expires(api: FakeBotApi, bot: App) -> None:
    first = await ask(api, "/search 乐山")
    assert plain(first).startswith("🔎 「乐山」 第 1 页")
    message_id = api.last_message(USER_ID).message_id
    data = button_data(first)
    assert all(len(d.encode()) <= 64 and "乐山" not in d for d in data)
    forward = next(d for d in data if d.startswith("pg:"))

    api.press_button(message_id, forward)
    await api.wait_for("answerCallbackQuery")
    edit = await api.wait_for("editMessageText")
    assert edit["message_id"] == message_id and "第 2 页" in plain(edit)
    assert "1. " not in plain(edit) and "6. " in plain(edit)
    labels = [b["text"] for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert texts.PREV_PAGE in labels and texts.NEXT_PAGE in labels

    back = next(d for d in button_data(edit) if d.endswith(":0"))
    api.press_button(message_id, back)
    edit = await api.wait_for("editMessageText")
    assert plain(edit) == plain(first)
    assert api.messages(USER_ID)[-1] == plain(first)  # the same message, edited in place

    state(bot).searches.clear()  # as if the search had expired
    api.press_button(message_id, forward)
    expired = await api.wait_for("answerCallbackQuery", lambda p: "text" in p)
    assert expired["text"] == texts.PAGE_EXPIRED and expired["show_alert"] is True
    assert api.messages(USER_ID)[-1] == plain(first)


async def test_last_page_has_no_next_button(api: FakeBotApi, bot: App) -> None:
    reply = await ask(api, "/search 乐山")
    message_id = api.last_message(USER_ID).message_id
    page = 0
    while next_page := [d for d in button_data(reply) if d.endswith(f":{page + 1}")]:
        api.press_button(message_id, next_page[0])
        reply = await api.wait_for("editMessageText")
        page += 1
        assert f"第 {page + 1} 页" in plain(reply) and page < 20
    assert page >= 2 and [d for d in button_data(reply) if d.endswith(f":{page - 1}")]
    assert plain(await ask(api, "/search")).startswith("用法：/search")
    assert "没有找到与「量子计算机」" in plain(await ask(api, "/search 量子计算机"))


# ------------------------------------------------------------------ summaries


async def test_summary_digest_article_and_topic(api: FakeBotApi, bot: App) -> None:
    digest = plain(await ask(api, "/summary"))
    assert digest.startswith("📰 最新新闻摘要") and digest.count("■ ") == 5
    assert digest.count("000_844d4cf99fbf511c.txt") == 5  # each item names its source
    one = plain(await ask(api, "/summary 000_844d4cf99fbf511c-4"))
    assert one.startswith("📰 文章摘要") and "柏林村" in one and one.count("■ ") == 1
    topic = plain(await ask(api, "/summary 荷花"))
    assert topic.startswith("📰 「荷花」相关文章摘要") and "柏林村“荷花宴”" in topic
    assert plain(await ask(api, "/summary 量子计算机")).startswith("没有找到与「量子计算机」")


async def test_summary_button_under_search_results(api: FakeBotApi, bot: App) -> None:
    reply = await ask(api, "/search 荷花")
    data = next(d for d in button_data(reply) if d.startswith("sm:"))
    api.press_button(api.last_message(USER_ID).message_id, data)
    summary = await api.wait_for("sendMessage", to(USER_ID))
    assert plain(summary).startswith("📰 文章摘要") and "柏林村" in plain(summary)


async def test_long_article_ids_go_through_a_server_side_key(
    api: FakeBotApi, bot: App, news: NewsService, tmp_path: Path
) -> None:
    long_id = "https://news.example.com/2025/06/20/economy/very-long-article-slug-0001"
    record = {
        "id": long_id,
        "title": "岷江航电枢纽通航",
        "text": "岷江航电枢纽工程6月20日正式通航，船舶可直达宜宾。",
    }
    await news.ingest([write_jsonl(tmp_path / "long.jsonl", [record])])
    reply = await ask(api, "/search 岷江航电枢纽")
    data = [d for d in button_data(reply) if d.startswith("s")]
    assert data and all(d.startswith("sk:") and len(d.encode()) <= 64 for d in data)
    api.press_button(api.last_message(USER_ID).message_id, data[0])
    summary = plain(await api.wait_for("sendMessage", to(USER_ID)))
    assert "岷江航电枢纽通航" in summary and long_id in summary

    state(bot).article_keys.clear()
    api.press_button(api.last_message(USER_ID).message_id - 1, data[0])
    expired = await api.wait_for("answerCallbackQuery", lambda p: "text" in p)
    assert expired["text"] == texts.BUTTON_EXPIRED


# ------------------------------------------------------------------ /articles and /article


async def test_articles_list_and_article_text(api: FakeBotApi, bot: App) -> None:
    listing = plain(await ask(api, "/articles"))
    ids = [f"000_844d4cf99fbf511c-{n}" for n in range(1, 6)]
    assert all(i in listing for i in ids)
    article = plain(await ask(api, "/article 000_844d4cf99fbf511c-4"))
    assert article.startswith("柏林村“荷花宴” 游客赏荷拍照") and "300亩荷塘" in article
    missing = plain(await ask(api, "/article no-such-id"))
    assert missing == "没有编号为 no-such-id 的文章。用 /articles 查看编号。"
    assert plain(await ask(api, "/article")) == texts.ARTICLE_USAGE


async def test_long_article_arrives_as_several_valid_messages(
    api: FakeBotApi, bot: App, news: NewsService, tmp_path: Path
) -> None:
    paragraphs = [
        f"第{n}段：A&B <公司> 发布公告，" + "新闻内容" * 60 + f"（完第{n}段）。" for n in range(40)
    ]
    paragraphs.append("超长段落：" + "长江经济带高质量发展。" * 500)  # one paragraph > 4096
    record = {"id": "long-1", "title": "长文 <测试> & 分段", "text": "\n".join(paragraphs)}
    await news.ingest([write_jsonl(tmp_path / "long.jsonl", [record])])
    stored = await news.article("long-1")  # as ingested (spacing normalized)
    expected = split_html(render_article(stored)[0])
    api.send_message("/article long-1")
    sent = [await api.wait_for("sendMessage", to(USER_ID)) for _ in expected]
    assert len(sent) >= 4 and [p["text"] for p in sent] == expected
    for params in sent:
        assert len(params["text"]) <= 4096 and utf16_len(plain(params)) <= 4096
    shown = "\n".join(plain(p) for p in sent)
    assert shown.startswith(stored.title) and "<" in stored.title and "&" in stored.title
    for paragraph in stored.paragraphs[:40]:
        assert paragraph.text in shown  # paragraphs are never cut
    assert shown.replace("\n", "").count("长江经济带高质量发展。") == 500


# ------------------------------------------------------------------ admin


async def test_reindex_by_admin_reports_counts_and_time(api: FakeBotApi, bot: App) -> None:
    passages = (await state(bot).news.stats()).passages
    started = plain(await ask(api, "/reindex", user_id=ADMIN_ID))
    assert started == texts.REINDEX_STARTED
    done = plain(await api.wait_for("sendMessage", to(ADMIN_ID)))
    assert "未变 5" in done and f"✅ 索引已重建：5 篇文章，{passages} 个段落，用时" in done


async def test_reindex_by_non_admin_is_refused_and_logged(
    api: FakeBotApi, bot: App, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.handlers"):
        assert plain(await ask(api, "/reindex")) == texts.ADMIN_ONLY
        assert plain(await ask(api, "/stats")) == texts.ADMIN_ONLY
    assert f"refused /reindex for non-admin user {USER_ID}" in caplog.text
    assert state(bot).reindex_task is None


async def test_stats_for_admin(api: FakeBotApi, bot: App) -> None:
    await ask(api, LOAN_QUESTION, user_id=ADMIN_ID)
    passages = (await state(bot).news.stats()).passages
    text = plain(await ask(api, "/stats", user_id=ADMIN_ID))
    assert "文章：5" in text and f"段落：{passages}" in text and "今日提问：1（已回答 1）" in text
    assert "p50" in text and "000_844d4cf99fbf511c.txt：5 篇" in text


async def test_admin_upload_is_ingested_with_a_per_file_report(api: FakeBotApi, bot: App) -> None:
    lines = [
        json.dumps(
            {
                "id": "up-1",
                "title": "峨眉山景区端午接待游客",
                "text": "端午假期，峨眉山景区共接待游客12.6万人次。",
            },
            ensure_ascii=False,
        ),
        "{not json",
        json.dumps(
            {"id": "up-2", "title": "乐山大佛夜游开放", "text": "乐山大佛景区6月起推出夜游项目。"},
            ensure_ascii=False,
        ),
    ]
    api.send_document("端午 新闻.jsonl", "\n".join(lines).encode(), user_id=ADMIN_ID)
    report = plain(await api.wait_for("sendMessage", to(ADMIN_ID)))
    assert "端午 新闻.jsonl:2：malformed JSON" in report
    assert "新增 2，未变 0，替换 0，失败 1（1 个文件" in report
    found = plain(await ask(api, "/search 峨眉山 游客", user_id=ADMIN_ID))
    assert "12.6万人次" in found and "端午 新闻.jsonl" in found  # source keeps the filename

    api.send_document("scan.docx", b"PK", user_id=ADMIN_ID)
    assert "不支持的文件类型「scan.docx」" in plain(await api.wait_for("sendMessage", to(ADMIN_ID)))

    # PDFs are read now; a broken one is reported like any bad file.
    api.send_document("scan.pdf", b"%PDF-1.4", user_id=ADMIN_ID)
    broken = plain(await api.wait_for("sendMessage", to(ADMIN_ID)))
    assert "scan.pdf" in broken and "not a readable PDF" in broken and "失败 1" in broken


async def test_non_admin_upload_is_refused(
    api: FakeBotApi, bot: App, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.handlers"):
        api.send_document("news.txt", "标题\n\n正文。".encode())
        assert plain(await api.wait_for("sendMessage", to(USER_ID))) == texts.UPLOAD_REFUSED
    assert not api.calls_to("getFile")
    assert (await state(bot).news.stats()).articles == 5
    assert f"refused upload from non-admin user {USER_ID}" in caplog.text


# ------------------------------------------------------------------ inline mode


async def test_inline_query_offers_passages(api: FakeBotApi, bot: App) -> None:
    api.inline_query("乐山农商银行 贷款")
    answer = await api.wait_for("answerInlineQuery")
    results = answer["results"]
    assert results and len({r["id"] for r in results}) == len(results)
    first = results[0]
    assert first["type"] == "article"
    assert first["title"] == "落地符合农业转型金融标准贷款 赋能农业绿色转型“加速度”"
    assert "乐山农商银行" in first["description"]
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML" and "<b>乐山农商银行</b>" in content["message_text"]
    text, _ = parse_html(content["message_text"])
    assert text.endswith(
        "— 落地符合农业转型金融标准贷款 赋能农业绿色转型“加速度” · 000_844d4cf99fbf511c.txt"
    )
    api.inline_query("")
    assert (await api.wait_for("answerInlineQuery"))["results"] == []


# ------------------------------------------------------------------ groups


async def test_group_chatter_is_ignored_but_mentions_and_replies_are_answered(
    api: FakeBotApi, bot: App
) -> None:
    group = DEFAULT_GROUP_ID
    api.send_message("今天天气不错，乐山农商银行发放贷款了吗", chat_type="supergroup")
    api.send_message("@someone_else 乐山农商银行向哪家公司发放了贷款？", chat_type="supergroup")
    question = api.send_message(f"@{api.bot_username} {LOAN_QUESTION}", chat_type="supergroup")
    answer = await api.wait_for("sendMessage", to(group))
    assert LOAN_ANSWER in plain(answer)
    user_message = api.delivered_updates[-1]["message"]["message_id"]
    assert answer["reply_parameters"]["message_id"] == user_message and question

    api.send_message(LOAN_QUESTION, chat_type="supergroup", reply_to_bot=True)
    followup = await api.wait_for("sendMessage", to(group))
    assert LOAN_ANSWER in plain(followup)

    api.send_message(f"/search@{api.bot_username} 荷花", chat_type="supergroup")
    assert "「荷花」" in plain(await api.wait_for("sendMessage", to(group)))
    api.send_message("/search@other_bot 荷花", chat_type="supergroup")
    api.send_message("/nonsense", chat_type="supergroup")
    await asyncio.sleep(0.5)
    assert len(api.messages(group)) == 3


# ------------------------------------------------------------------ load, flood control, limits


async def test_fifty_users_at_once_while_reindexing(
    api: FakeBotApi, bot: App, news: NewsService, tmp_path: Path
) -> None:
    filler = [
        {
            "id": f"filler-{n}",
            "title": f"区县动态第{n}期",
            "text": "\n".join(
                f"第{n}期第{k}条：各地加快推进重点项目建设，乡村振兴和文旅融合持续发力。"
                for k in range(30)
            ),
        }
        for n in range(150)
    ]
    await news.ingest([write_jsonl(tmp_path / "filler.jsonl", filler)])
    candidates = [LOAN_QUESTION, "柏林村的荷塘有多大？", "乐山市二季度产业招商推进会在哪天召开？"]
    expected = {q: a.sentence for q in candidates if (a := await news.ask(q)).found}
    assert LOAN_QUESTION in expected
    questions = list(expected)
    users = range(5001, 5051)

    api.send_message("/reindex", user_id=ADMIN_ID)
    await api.wait_for("sendMessage", to(ADMIN_ID))  # started
    for n, user in enumerate(users):
        api.send_message(questions[n % len(questions)], user_id=user)
    replies = {user: await api.wait_for("sendMessage", to(user), timeout=30) for user in users}
    done = await api.wait_for("sendMessage", to(ADMIN_ID), timeout=30)
    assert "索引已重建：155 篇文章" in plain(done)
    for n, user in enumerate(users):
        text = plain(replies[user])
        assert text.startswith(f"💡 {expected[questions[n % len(questions)]]}"), (user, text[:80])
    assert not api.calls_to("sendMessage", ok=False)


async def test_flood_limit_429_is_retried_after_retry_after(api: FakeBotApi, bot: App) -> None:
    api.fail_next("sendMessage", status=429, retry_after=1)
    started = time.monotonic()
    reply = await ask(api, LOAN_QUESTION)
    assert time.monotonic() - started >= 1.0
    assert LOAN_ANSWER in plain(reply)
    attempts = [c.status for c in api.calls if c.method == "sendMessage"]
    assert attempts == [429, 200]


async def test_per_user_rate_limit_warns_once(
    api: FakeBotApi, news: NewsService, tmp_path: Path
) -> None:
    settings = make_settings(api, tmp_path, rate_limit_per_minute=2)
    async with running(build_application(settings, news)) as application:
        for _ in range(2):
            assert LOAN_ANSWER in plain(await ask(api, LOAN_QUESTION))
        slow = plain(await ask(api, LOAN_QUESTION))
        assert slow.startswith("您发得太快了，请") and "秒后再试" in slow
        api.send_message(LOAN_QUESTION)  # refused again, silently
        assert LOAN_ANSWER in plain(await ask(api, LOAN_QUESTION, user_id=7))  # others unaffected
        assert len(api.messages(USER_ID)) == 3

        state(application).limiter = SlidingWindowLimiter(2, 60.0, clock=lambda: 1e9)
        assert LOAN_ANSWER in plain(await ask(api, LOAN_QUESTION))  # a minute later


# ------------------------------------------------------------------ errors and lifecycle


async def test_errors_are_logged_without_the_token_and_reported_briefly(
    api: FakeBotApi,
    bot: App,
    news: NewsService,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(question: str, k: int = 3) -> Any:
        raise RuntimeError(f"boom while calling {api.base_url}{api.token}/getMe")

    monkeypatch.setattr(news, "ask", broken)
    with caplog.at_level(logging.ERROR, logger="bot.handlers"):
        assert plain(await ask(api, LOAN_QUESTION)) == texts.ERROR
    assert "RuntimeError: boom while calling" in caplog.text and "Traceback" in caplog.text
    assert api.token not in caplog.text and api.token.split(":")[1] not in caplog.text


async def test_service_is_opened_in_post_init_and_closed_in_post_shutdown(
    api: FakeBotApi, settings: Settings
) -> None:
    await (await open_seeded(settings.newsbot_db)).close()
    application = build_application(settings)
    async with running(application):
        assert not (settings.newsbot_db.parent / "t.db").exists() or state(application).owns_service
        assert LOAN_ANSWER in plain(await ask(api, LOAN_QUESTION))
        service = state(application).news
    assert state(application).service is None
    with pytest.raises(Exception):  # noqa: B017 - the store is closed
        await service.stats()
