"""`newsbot demo|delete|prune|export`: keeping the database clean, and backups that round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.commands import app
from tests.conftest import SEED_PAGE

PAGE = SEED_PAGE.stem
runner = CliRunner()
DATED = [
    {"id": "a1", "title": "七月初", "date": "2023-07-01", "source": "甲报", "text": "熊猫新闻。"},
    {"id": "a2", "title": "七月中", "date": "2023-07-15", "source": "乙报", "text": "熊猫基地。"},
    {"id": "a3", "title": "七月末", "date": "2023-07-30", "source": "甲报", "text": "熊猫宝宝。"},
]


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo page and three dated articles; no .env, no RETENTION_DAYS."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    path = tmp_path / "news.db"
    dated = tmp_path / "dated.jsonl"
    dated.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in DATED), "utf-8")
    assert invoke("demo", "--db", str(path))[0] == 0
    assert invoke("ingest", str(dated), "--db", str(path))[0] == 0
    return path


def test_delete_removes_articles_from_answers_with_a_count(db: Path) -> None:
    question = "乐山农商银行向哪家公司发放了贷款？"
    assert invoke("ask", question, "--db", str(db))[1].startswith("答案：")
    code, out, _ = invoke("delete", f"{PAGE}-3", "a1", "--db", str(db))
    assert code == 0 and out.strip() == "2 articles deleted"
    assert invoke("ask", question, "--db", str(db))[1].startswith("抱歉，在已载入的新闻中没有找到")
    code, out, err = invoke("delete", "a1", "--db", str(db))
    assert code == 1 and out.strip() == "0 articles deleted"
    assert "1 of the ids are not stored" in err


def test_prune_before_a_date_and_for_one_source(db: Path) -> None:
    code, out, _ = invoke("prune", "--before", "2023-07-20", "--source", "乙报", "--db", str(db))
    assert code == 0 and out.strip() == "1 articles dated before 2023-07-20 deleted"
    code, out, _ = invoke("prune", "--before", "2023-07-20", "--db", str(db))
    assert code == 0 and out.startswith("1 articles")  # a1; the seed page is undated: kept
    ids = {row["id"] for row in json.loads(invoke("articles", "--json", "--db", str(db))[1])}
    assert "a3" in ids and f"{PAGE}-1" in ids and not {"a1", "a2"} & ids


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--before", "July"], "--before: 'July' is not a date (expected YYYY-MM-DD"),
        (["--before", "2023-07-01", "--source", "无此报"], "no source named '无此报' (known: "),
        ([], "give either --before DATE or --retention"),
        (["--retention"], "RETENTION_DAYS is not set"),
    ],
)
def test_prune_input_errors_are_one_line(db: Path, args: list[str], message: str) -> None:
    code, _, err = invoke("prune", *args, "--db", str(db))
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1


def test_prune_retention_uses_retention_days(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "3650")
    code, out, _ = invoke("prune", "--retention", "--db", str(db))
    assert code == 0 and out.strip() == "0 articles older than 3650 days deleted"
    monkeypatch.setenv("RETENTION_DAYS", "1")
    code, out, _ = invoke("prune", "--retention", "--db", str(db))
    assert code == 0 and out.startswith("3 articles older than 1 days")  # the dated ones


def test_export_round_trips_through_ingest(db: Path, tmp_path: Path) -> None:
    code, out, err = invoke("export", "--db", str(db))
    assert code == 0 and err.strip() == "8 articles exported"
    backup = tmp_path / "backup.jsonl"
    backup.write_text(out, "utf-8")
    copy = tmp_path / "copy.db"
    code, out, _ = invoke("ingest", str(backup), "--db", str(copy))
    assert code == 0 and out.startswith("8 added")

    def listing(path: Path) -> list[tuple[str, str, str, str]]:
        rows = json.loads(invoke("articles", "-n", "50", "--json", "--db", str(path))[1])
        return sorted((r["id"], r["title"], r["date"], r["source"]) for r in rows)

    assert listing(copy) == listing(db)
    for article_id in (f"{PAGE}-1", "a2"):
        original = json.loads(invoke("show", article_id, "--json", "--db", str(db))[1])
        restored = json.loads(invoke("show", article_id, "--json", "--db", str(copy))[1])
        assert [p["text"] for p in restored["paragraphs"]] == [
            p["text"] for p in original["paragraphs"]
        ]
    code, out, _ = invoke("export", "--since", "2023-07-15", "--db", str(db))
    exported = [json.loads(line)["id"] for line in out.splitlines()]
    assert exported[:2] == ["a2", "a3"] and "a1" not in exported and len(exported) == 7
    assert invoke("export", "--since", "soon", "--db", str(db))[0] == 1
