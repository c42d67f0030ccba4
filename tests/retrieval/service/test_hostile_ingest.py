"""Hostile input through the service: control characters never stored, a flood of bad lines
counted rather than listed, large inputs written in batches that each commit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from retrieval.service import NewsService, ingest
from retrieval.sources import files


async def test_control_characters_are_not_stored(service: NewsService, tmp_path: Path) -> None:
    path = tmp_path / "esc.jsonl"
    record = {
        "id": "esc1",
        "title": "标题\x1b]0;pwned\x07",
        "author": "记者\x9b2J",
        "text": "第一段\x1b[2J清屏。\n\x1b]52;c;ZXZpbA==\x07第二段。",
    }
    path.write_text(json.dumps(record, ensure_ascii=False))
    assert (await service.ingest([path])).added == 1
    article = await service.article("esc1")
    assert (article.title, article.author) == ("标题", "记者")
    assert [p.text for p in article.paragraphs] == ["第一段清屏。", "第二段。"]
    assert (await service.ingest([path])).unchanged == 1


async def test_many_bad_lines_are_counted_not_listed(service: NewsService, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(["{bad"] * 500 + [json.dumps({"id": "ok", "text": "好的。"})]))
    report = await service.ingest([path])
    assert report.added == 1 and report.failed == 500
    assert len(report.errors) == files.MAX_ERRORS_SHOWN + 1
    assert str(report.errors[-1]) == f"{path}: 480 more errors in this file not listed"


async def test_large_input_is_written_in_batches(
    service: NewsService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "_BATCH_CHARS", 50)
    monkeypatch.setattr(files, "CHUNK_ARTICLES", 3)
    batches: list[int] = []
    commit = ingest.Ingestor.commit_batch

    async def counting(self: ingest.Ingestor, prepared: Any, *args: Any) -> list[str]:
        batches.append(len(prepared.changed))
        return await commit(self, prepared, *args)

    monkeypatch.setattr(ingest.Ingestor, "commit_batch", counting)
    path = tmp_path / "many.jsonl"
    lines = [json.dumps({"id": f"n{i}", "text": f"第{i}条新闻提到熊猫{i}号。"}) for i in range(10)]
    path.write_text("\n".join(lines))
    report = await service.ingest([path])
    assert (report.added, report.failed) == (10, 0)
    assert batches == [6, 4]
    assert {h.article_id for h in (await service.search("熊猫", k=20)).hits} >= {
        f"n{i}" for i in range(10)
    }


async def test_a_later_batch_replacing_an_article_of_the_one_before_wins(
    service: NewsService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batch two is tokenized before batch one commits: its replacement is found at commit.
    monkeypatch.setattr(ingest, "_BATCH_CHARS", 50)
    monkeypatch.setattr(files, "CHUNK_ARTICLES", 3)
    lines = [json.dumps({"id": f"d{i}", "text": f"第{i}条新闻提到熊猫{i}号。"}) for i in range(6)]
    lines += [json.dumps({"id": "d1", "text": "第一条新闻改写后提到大象。"}),
              json.dumps({"id": "d2", "text": "第2条新闻提到熊猫2号。"})]  # unchanged
    path = tmp_path / "twice.jsonl"
    path.write_text("\n".join(lines))
    report = await service.ingest([path])
    assert (report.added, report.replaced, report.unchanged) == (6, 1, 1)
    assert "大象" in (await service.article("d1")).text
    assert [h.article_id for h in (await service.search("大象")).hits] == ["d1"]
    assert "d1" not in {h.article_id for h in (await service.search("熊猫1号", k=20)).hits}
