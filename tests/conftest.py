"""Shared fixtures: the seed folder and a service over a fresh database loaded with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import local_time
from retrieval.service import NewsService

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_PAGE = SEEDS / "000_844d4cf99fbf511c.txt"
DATA = Path(__file__).resolve().parent / "data"
EVAL = ROOT.parent / "shared" / "eval"


def FIXED_NOW() -> dt.datetime:
    """The clock every test renders dates against (a fixed day, so tests never depend on
    the year they run in): 2026-03-01 12:00 in Shanghai."""
    return dt.datetime(2026, 3, 1, 4, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fixed_local_clock() -> Iterator[None]:
    """Dates are shown relative to `FIXED_NOW` in Asia/Shanghai; restored afterwards."""
    local_time.use_zone(local_time.DEFAULT_ZONE)
    local_time.use_clock(FIXED_NOW)
    yield
    local_time.use_clock()
    local_time.use_zone(local_time.DEFAULT_ZONE)


@pytest.fixture
def seed_dir() -> Path:
    return SEEDS


async def open_seeded(db: Path, **options: Any) -> NewsService:
    """A NewsService on `db` with the seed page ingested explicitly (nothing is auto-loaded)."""
    svc = await NewsService.open(db, **options)
    try:
        report = await svc.ingest([SEEDS])
        assert report.failed == 0
    except BaseException:
        await svc.close()
        raise
    return svc


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[NewsService]:
    """A NewsService on a fresh database with the seed page ingested."""
    svc = await open_seeded(tmp_path / "news.db")
    yield svc
    await svc.close()
