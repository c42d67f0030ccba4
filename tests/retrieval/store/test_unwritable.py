"""A database that cannot be written (read-only file or folder, full disk): one line naming
the file and the cause, nothing stored lost, and a read-only database can still be searched
(#12 point 11)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from retrieval import NewsService, StoreError
from retrieval.store import Store, connection
from tests.conftest import open_seeded


def _deny_writes(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """Act as if this process had no write permission on `paths` (tests run as root, which
    file modes do not stop)."""
    real = os.access
    denied = {p.resolve() for p in paths}

    def access(path: str | os.PathLike[str], mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(path).resolve() in denied:
            return False
        return real(path, mode)

    monkeypatch.setattr(os, "access", access)


async def test_read_only_database_is_searched_and_refuses_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "news.db"
    await (await open_seeded(db)).close()
    _deny_writes(monkeypatch, db)
    service = await NewsService.open(db)
    try:
        assert service.store._db.read_only
        assert (await service.ask("乐山农商银行向哪家公司发放了贷款？")).found
        assert (await service.stats()).questions_today == 0  # the query log is skipped
        new = tmp_path / "new.jsonl"
        new.write_text(json.dumps({"id": "n1", "text": "新的新闻。"}, ensure_ascii=False))
        refusal = f"{db}: the database is read-only (no write permission)"
        with pytest.raises(StoreError, match="read-only") as refused:
            await service.ingest([new])
        assert str(refused.value) == refusal
        with pytest.raises(StoreError, match="read-only"):
            await service.add_feed("https://example.com/rss")
    finally:
        await service.close()


async def test_read_only_folder_without_wal_files_is_read_as_a_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "news.db"
    await (await open_seeded(db)).close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    _deny_writes(monkeypatch, db, tmp_path)
    store = await Store.open(db)
    try:
        assert (await store.articles.counts())[0] == 5
    finally:
        await store.close()


async def test_new_database_in_a_read_only_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deny_writes(monkeypatch, tmp_path)
    with pytest.raises(StoreError) as refused:
        await Store.open(tmp_path / "news.db")
    assert str(refused.value) == (
        f"{tmp_path / 'news.db'}: cannot create the database: the folder is not writable"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes")
async def test_read_only_file_mode(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    await (await open_seeded(db)).close()
    db.chmod(0o444)
    service = await NewsService.open(db)
    try:
        assert (await service.search("乐山")).hits
    finally:
        await service.close()


async def test_full_disk_is_one_line_and_keeps_what_was_stored(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    service = await open_seeded(db)
    try:
        writer = service.store._db._write
        async with writer.execute("PRAGMA page_count") as cur:
            row = await cur.fetchone()
        assert row is not None
        await writer.execute(f"PRAGMA max_page_count = {int(row[0]) + 2}")
        big = tmp_path / "big.jsonl"
        record = {"id": "big", "text": "新闻内容。" * 200_000}
        big.write_text(json.dumps(record, ensure_ascii=False))
        with pytest.raises(StoreError) as full:
            await service.ingest([big])
        assert str(full.value) == (
            f"{db}: the disk is full (database or disk is full); nothing of this write was stored"
        )
        assert (await service.stats()).articles == 5
        assert (await service.ask("乐山农商银行向哪家公司发放了贷款？")).found
    finally:
        await service.close()


def test_write_failures_are_named(tmp_path: Path) -> None:
    db = connection.Database.__new__(connection.Database)
    db.path = tmp_path / "x.db"
    error = db._failure(sqlite3.OperationalError("attempt to write a readonly database"))
    assert str(error).startswith(f"{db.path}: the database is read-only (")
