"""Shared fixtures: the seed folder and a service over a fresh database seeded from it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from retrieval.service import NewsService

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_PAGE = SEEDS / "000_844d4cf99fbf511c.txt"
DATA = Path(__file__).resolve().parent / "data"
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture
def seed_dir() -> Path:
    return SEEDS


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[NewsService]:
    """A NewsService on an empty database that auto-ingests the seed page."""
    svc = await NewsService.open(tmp_path / "news.db", seed_paths=[SEEDS])
    yield svc
    await svc.close()
