"""`newsbot search` with the search syntax and flags, `--sort date`, time questions, `sources`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.commands import app

runner = CliRunner()
RECORDS = [
    {"id": i, "date": d, "source": s, "text": t}
    for i, d, s, t in (
        ("a1", "2023-07-01", "乐山日报", "乐山大佛景区游客增长，开通夜游。"),
        ("a2", "2023-07-12", "乐山 晚报", "乐山大佛景区推出夜游项目，游客乘船观赏。"),
        ("a3", "2023-08-03", "四川日报", "乐山大佛景区门票预约系统升级，游客需预约。"),
    )
]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("NEWSBOT_DATA_DIRS", str(tmp_path / "none"))
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS), "utf-8")
    database = str(tmp_path / "news.db")
    assert invoke("ingest", str(path), "--db", database)[0] == 0
    return database


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def hit_ids(out: str) -> list[str]:
    return [h["article_id"] for h in json.loads(out)["hits"]]


def test_flags_and_operators_filter_the_same_way(db: str) -> None:
    by_flag = invoke("search", "乐山大佛 游客", "--source", "乐山 晚报", "--db", db, "--json")
    by_operator = invoke("search", '乐山大佛 游客 source:"乐山 晚报"', "--db", db, "--json")
    assert hit_ids(by_flag[1]) == hit_ids(by_operator[1]) == ["a2"]
    code, out, _ = invoke(
        "search", "乐山大佛", "--since", "2023-07-10", "--until", "2023-07", "--db", db, "--json"
    )
    assert code == 0 and hit_ids(out) == ["a2"]
    assert hit_ids(invoke("search", "游客 -夜游", "--db", db, "--json")[1]) == ["a3"]
    assert hit_ids(invoke("search", '"门票预约"', "--db", db, "--json")[1]) == ["a3"]


def test_sort_by_date_lists_newest_first(db: str) -> None:
    code, out, _ = invoke("search", "乐山大佛 游客", "--sort", "date", "--db", db, "--json")
    assert code == 0 and json.loads(out)["sort"] == "date"
    assert hit_ids(out) == ["a3", "a2", "a1"]
    code, _, err = invoke("search", "乐山", "--sort", "random", "--db", db)
    assert code == 2 and "random" in err


def test_a_bad_filter_value_is_one_line(db: str) -> None:
    code, out, err = invoke("search", "乐山", "--since", "last week", "--db", db)
    assert code == 1 and out == ""
    assert err.strip().count("\n") == 0 and "since:" in err and "last week" in err


def test_time_questions_list_the_window_or_say_it_is_empty(db: str) -> None:
    code, out, _ = invoke("ask", "2023年7月有什么新闻？", "--db", db)
    assert code == 0 and out.startswith("2023年7月的新闻（2023-07-01 至 2023-07-31，最新的在前）")
    assert out.index("a2") < out.index("a1") and "a3" not in out
    code, out, _ = invoke("ask", "2019年有什么新闻？", "--db", db, "--json")
    answer = json.loads(out)
    assert not answer["found"] and answer["hits"] == []
    assert answer["window"] == {"since": "2019-01-01", "until": "2019-12-31", "label": "2019年"}


def test_sources_lists_publications_with_counts_and_newest_date(db: str) -> None:
    code, out, _ = invoke("sources", "--db", db)
    assert code == 0 and len(out.splitlines()) == 3
    assert any(line.startswith("四川日报") and "2023-08-03" in line for line in out.splitlines())
    rows = json.loads(invoke("sources", "--db", db, "--json")[1])
    counts = {r["name"]: r["articles"] for r in rows}
    assert counts == {"乐山日报": 1, "乐山 晚报": 1, "四川日报": 1}
