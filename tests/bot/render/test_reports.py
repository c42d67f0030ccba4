"""Help, listings and the admin reports as Telegram HTML."""

from __future__ import annotations

from bot import texts
from bot.render import reports
from retrieval import Examples, IngestReport, SourceError, Stats
from tests.bot.render.samples import valid


def test_ingest_report_names_file_and_line_like_the_cli() -> None:
    report = IngestReport(
        added=2,
        failed=1,
        files=1,
        passages=5,
        seconds=0.25,
        errors=[SourceError("/tmp/xyz/端午<新闻>.jsonl", "malformed JSON: x", 2)],
    )
    text = valid(reports.ingest_report(report)[0])
    assert text == (
        "⚠️ 端午<新闻>.jsonl:2：malformed JSON: x\n"
        "新增 2，未变 0，替换 0，失败 1（1 个文件，5 个新段落，用时 0.2 秒）"
    )
    many = IngestReport(errors=[SourceError(f"f{n}.txt", "bad") for n in range(25)], failed=25)
    assert "另有 5 个错误" in reports.ingest_report(many)[0]


def test_help_shows_counts_sources_latest_date_and_examples() -> None:
    stats = Stats(
        5,
        42,
        1000,
        [("日报<甲>", 3, "2025-06-10"), ("晚报", 2, "")],
        "2025-06-10",
        0,
        0,
        0.0,
        0.0,
        1,
    )
    examples = Examples(["奋力冲刺？"], "奋力冲刺", "a1")
    text = valid(reports.help_text(stats, examples, "news_bot")[0])
    known = "目前载入了 5 篇文章（42 个段落），来源：日报<甲>、晚报。最新日期：2025年6月10日。"
    assert known in text
    assert text.endswith("可以试试\n• 奋力冲刺？\n• /search 奋力冲刺\n• /summary a1")
    empty = Stats(0, 0, 0, [], "", 0, 0, 0.0, 0.0, 0)
    assert texts.HELP_EMPTY in reports.help_text(empty, Examples([]), "b")[0]
