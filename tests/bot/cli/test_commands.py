"""Every `newsbot` command end to end, in process, on a temporary database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.commands import app
from retrieval import NewsService
from tests.conftest import SEED_PAGE, SEEDS

PAGE = SEED_PAGE.stem
runner = CliRunner()


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database path with nothing in it; no .env is read, no data folders configured."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSBOT_DATA_DIRS", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return tmp_path / "news.db"


@pytest.fixture
def db(empty_db: Path) -> Path:
    """A database with the demo page loaded by `newsbot demo`."""
    code, out, _ = invoke("demo", "--db", str(empty_db))
    assert code == 0 and out.startswith("5 added"), out
    return empty_db


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_ask_answers_with_sources(db: Path) -> None:
    code, out, _ = invoke("ask", "乐山农商银行向哪家公司发放了贷款？", "--db", str(db))
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith("答案：") and "亚庆农牧" in first
    assert "落地符合农业转型金融标准贷款" in out and SEED_PAGE.name in out


def test_ask_json_and_not_found(db: Path) -> None:
    code, out, _ = invoke("ask", "明天北京的天气怎么样？", "--json", "--db", str(db))
    data = json.loads(out)
    assert code == 0 and data["found"] is False and data["sentence"] == ""


def test_search_json_has_the_documented_hit_fields(db: Path) -> None:
    code, out, _ = invoke("search", "钜能", "-k", "2", "--json", "--db", str(db))
    data = json.loads(out)
    assert code == 0 and data["query"] == "钜能" and "took_ms" in data
    hit = data["hits"][0]
    for key in (
        "rank",
        "score",
        "text",
        "article_id",
        "title",
        "date",
        "source",
        "url",
        "paragraph",
    ):
        assert key in hit
    assert hit["rank"] == 1 and "钜能" in hit["text"] and len(data["hits"]) <= 2


def test_search_many_queries_one_json_line_each(db: Path, tmp_path: Path) -> None:
    queries = tmp_path / "q.txt"
    queries.write_text("柏林村荷花\n\n？？？\n亚庆农牧\n", "utf-8")
    code, out, _ = invoke("search", "--queries", str(queries), "--json", "--db", str(db))
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [x["query"] for x in lines] == ["柏林村荷花", "？？？", "亚庆农牧"]
    assert lines[0]["hits"][0]["article_id"] == f"{PAGE}-4"
    assert lines[1]["hits"] == [] and "error" in lines[1]


def test_ask_many_questions_one_json_line_each_with_the_index_loaded_once(
    db: Path, tmp_path: Path
) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text(
        "乐山农商银行向哪家公司发放了贷款？\n\n？？？\n明天北京的天气怎么样？\n", "utf-8"
    )
    code, out, _ = invoke("ask", "--queries", str(questions), "--json", "--db", str(db))
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0
    assert [x["question"] for x in lines] == [
        "乐山农商银行向哪家公司发放了贷款？",
        "？？？",
        "明天北京的天气怎么样？",
    ]
    loan, unsearchable, weather = lines
    assert loan["found"] is True and "亚庆农牧" in loan["sentence"]
    assert loan["hits"][0]["article_id"].startswith(PAGE)
    assert unsearchable["found"] is False and "error" in unsearchable
    assert weather["found"] is False and "error" not in weather
    single = json.loads(invoke("ask", loan["question"], "--json", "--db", str(db))[1])
    assert {k: v for k, v in single.items() if k != "took_ms"} == {
        k: v for k, v in loan.items() if k != "took_ms"
    }


def test_ask_many_in_plain_text_and_the_input_errors(db: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("柏林村的荷塘有多少亩？\n。。。\n", "utf-8")
    code, out, _ = invoke("ask", "--queries", str(questions), "--db", str(db))
    assert code == 0 and out.startswith("== 柏林村的荷塘有多少亩？\n答案：")
    assert "== 。。。\nerror: " in out
    code, _, err = invoke("ask", "问题", "--queries", str(questions), "--db", str(db))
    assert code == 1 and "give either a QUESTION or --queries FILE" in err
    code, _, err = invoke("ask", "--queries", str(tmp_path / "missing.txt"), "--db", str(db))
    assert code == 1 and err.startswith(f"error: {tmp_path / 'missing.txt'}: ")
    binary = tmp_path / "q.bin"
    binary.write_bytes(b"\xff\xfe\x00bad")
    code, _, err = invoke("ask", "--queries", str(binary), "--db", str(db))
    assert code == 1 and "not UTF-8 text" in err and "Traceback" not in err


def test_search_needs_exactly_one_query_source(db: Path) -> None:
    code, _, err = invoke("search", "--db", str(db))
    assert code == 1 and "give either a QUERY or --queries FILE" in err


def test_empty_and_punctuation_queries_are_clear_errors(db: Path) -> None:
    for query in ("", "！？。", "😀"):
        code, _, err = invoke("search", query, "--db", str(db))
        assert code == 1 and err.startswith("error: cannot search:"), err


def test_articles_and_show(db: Path) -> None:
    code, out, _ = invoke("articles", "--json", "--db", str(db))
    rows = json.loads(out)
    assert code == 0 and len(rows) == 5
    assert {"id", "title", "date", "source", "url"} <= set(rows[0])
    code, out, _ = invoke("show", f"{PAGE}-1", "--json", "--db", str(db))
    article = json.loads(out)
    assert article["kicker"].startswith("赵波在") and article["author"] == "记者 白建伟"
    assert {"text", "heading"} == set(article["paragraphs"][0])
    code, out, _ = invoke("show", f"{PAGE}-5", "--db", str(db))
    assert "## 项目拉练：互学互鉴奋进赶超" in out


def test_unknown_article_id(db: Path) -> None:
    code, _, err = invoke("show", "no-such-id", "--db", str(db))
    assert code == 1 and "no article with id 'no-such-id'" in err


def test_summary_of_article_topic_and_digest(db: Path) -> None:
    code, out, _ = invoke("summary", f"{PAGE}-3", "--db", str(db))
    assert code == 0 and "亚庆农牧" in out
    code, out, _ = invoke("summary", "--json", "--db", str(db))
    assert json.loads(out)["kind"] == "digest"
    code, out, _ = invoke("summary", "荷花", "--json", "--db", str(db))
    data = json.loads(out)
    assert data["kind"] == "topic" and data["items"][0]["article_id"] == f"{PAGE}-4"


def test_ingest_reports_counts_and_failures(db: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text("# 熊猫\n\n成都大熊猫基地迎来熊猫宝宝。", "utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n", "utf-8")
    code, out, _ = invoke("ingest", str(good), str(bad), "--db", str(db))
    assert code == 1
    assert f"error: {bad}:1: malformed JSON" in out
    assert out.strip().splitlines()[-1].startswith("1 added, 0 unchanged, 0 replaced, 1 failed")
    code, out, _ = invoke("ingest", str(good), "--db", str(db))
    assert code == 0 and out.startswith("0 added, 1 unchanged")


def test_ingest_missing_path_and_unknown_type(db: Path, tmp_path: Path) -> None:
    odd = tmp_path / "scan.docx"
    odd.write_bytes(b"%PDF-1.4")
    code, out, _ = invoke("ingest", str(tmp_path / "nope"), str(odd), "--db", str(db))
    assert code == 1
    assert f"{tmp_path / 'nope'}: no such file or directory" in out
    assert "unsupported file type '.docx'" in out


def test_reindex_and_stats(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    invoke("ask", "柏林村", "--db", str(db))
    monkeypatch.setenv("NEWSBOT_DATA_DIRS", str(SEEDS))
    code, out, _ = invoke("reindex", "--db", str(db))
    assert code == 0 and "index rebuilt: 5 articles" in out
    code, out, _ = invoke("stats", "--json", "--db", str(db))
    stats = json.loads(out)
    assert stats["articles"] == 5 and stats["questions_today"] >= 1


def test_run_without_token_points_to_chat(db: Path) -> None:
    code, _, err = invoke("run", "--db", str(db))
    assert code == 1 and "TELEGRAM_BOT_TOKEN" in err and "newsbot chat" in err


def test_a_file_that_is_not_a_database(db: Path) -> None:
    db.write_bytes(b"garbage" * 1000)
    code, _, err = invoke("stats", "--db", str(db))
    assert code == 1 and "not a usable newsbot database" in err


def test_empty_database_is_a_clear_message_and_is_never_loaded_implicitly(
    empty_db: Path,
) -> None:
    code, _, err = invoke("ask", "乐山新闻", "--db", str(empty_db))
    assert code == 1 and "has no articles yet" in err
    assert "newsbot ingest" in err and "newsbot demo" in err
    assert invoke("reindex", "--db", str(empty_db))[1].startswith("index rebuilt: 0 articles")
    code, out, _ = invoke("articles", "--db", str(empty_db))
    assert code == 0 and "no articles yet" in out and "newsbot demo" in out
    code, out, _ = invoke("demo", "--db", str(empty_db))
    assert code == 0 and out.startswith("5 added")
    assert invoke("demo", "--db", str(empty_db))[1].startswith("0 added, 5 unchanged")


def test_a_batch_of_questions_loads_the_compiled_search_first_and_one_question_does_not(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loading it costs more than it saves on one question, and less than it saves on many.
    prepared: list[int] = []

    async def prepare(service: NewsService) -> bool:
        prepared.append(1)
        return True

    monkeypatch.setattr(NewsService, "prepare_for_many_questions", prepare)
    questions = tmp_path / "q.txt"
    questions.write_text("亚庆农牧\n柏林村荷花\n", "utf-8")
    for command in ("search", "ask"):
        assert invoke(command, "亚庆农牧", "--db", str(db))[0] == 0
        assert prepared == []
        assert invoke(command, "--queries", str(questions), "--db", str(db))[0] == 0
        assert prepared == [1]
        prepared.clear()
