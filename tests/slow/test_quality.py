"""Quality floors on the real CMRC 2018 trial set (data-heavy: `make test-slow`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.quality import cmrc_questions_and_corpus, contains_answer
from retrieval import NewsService, QueryError
from tests.conftest import EVAL

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (EVAL / "cmrc2018-trial.jsonl").exists(),
        reason="../shared/eval is not beside the project",
    ),
]


async def test_cmrc_answer_hit_at_1_stays_above_the_target(tmp_path: Path) -> None:
    questions, corpus = cmrc_questions_and_corpus(tmp_path)
    service = await NewsService.open(tmp_path / "cmrc.db")
    try:
        await service.ingest([corpus])
        hits_at_1 = 0
        for q in questions:
            try:
                result = await service.search(q.text, k=1)
            except QueryError:  # the set has a few empty questions; they count as misses
                continue
            top = result.hits[0] if result.hits else None
            hits_at_1 += bool(
                top and top.article_id in q.gold and contains_answer(top.text, q.answers)
            )
    finally:
        await service.close()
    assert hits_at_1 / len(questions) >= 0.80, json.dumps({"a@1": hits_at_1 / len(questions)})
