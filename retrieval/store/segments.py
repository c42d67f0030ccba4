"""The segment registry: which segment directories are live, the tombstones, the generation.

The files themselves are `retrieval.segment_files`' job; this module keeps the SQL side of the
design described there. Every transaction that changes the live segments or the tombstones
bumps `index_state.generation`, so a reader knows with one indexed read whether its view is
current. `snapshot` reads the registry in a single statement, which SQLite runs on one
snapshot of the database: a reader never sees a segment without its tombstones or the reverse.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import aiosqlite

from retrieval.segment_files import SegmentInfo
from retrieval.store.connection import Database


@dataclass(frozen=True)
class IndexSnapshot:
    """The registry at one moment: what a reader's `SegmentSet` view is built from."""

    generation: int
    live: dict[int, str]  # generation -> segment directory name
    tombstones: list[int]
    passages: int  # stored passages (-1 when not counted)
    passage_ids: list[int] | None = None  # every stored passage's id, when asked for


class SegmentTable:
    """Reads of `segments`, `tombstones` and `index_state`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def generation(self) -> int:
        """The index generation: changes whenever the live segments or tombstones change."""
        rows = await self._db.read("SELECT generation FROM index_state WHERE id = 1", quick=True)
        return int(rows[0][0]) if rows else 0

    async def snapshot(
        self, *, count_passages: bool = False, passage_ids: bool = False
    ) -> IndexSnapshot:
        """Generation, live segments and tombstones (and the passage count or every passage
        id), consistently: one statement reads one state of the database."""
        passages = (
            "SELECT 'q', id, NULL FROM passages"
            if passage_ids
            else "SELECT 'p', count(*), NULL FROM passages"
            if count_passages
            else "SELECT 'p', -1, NULL"
        )
        sql = f"""
            SELECT 'g', generation, NULL FROM index_state WHERE id = 1
            UNION ALL SELECT 's', generation, name FROM segments WHERE state = 'live'
            UNION ALL SELECT 't', passage_id, NULL FROM tombstones
            UNION ALL {passages}"""
        generation, passage_count = 0, -1
        live: dict[int, str] = {}
        tombstones: list[int] = []
        ids: list[int] = []
        async with self._db.reader.execute(sql) as cur:
            for kind, number, name in await cur.fetchall():
                if kind == "q":
                    ids.append(int(number))
                elif kind == "g":
                    generation = int(number)
                elif kind == "s":
                    live[int(number)] = str(name)
                elif kind == "t":
                    tombstones.append(int(number))
                else:
                    passage_count = int(number)
        if passage_ids:
            return IndexSnapshot(generation, live, tombstones, len(ids), ids)
        return IndexSnapshot(generation, live, tombstones, passage_count)

    async def ever_registered(self) -> bool:
        """Whether any segment was ever registered (false for a database of the blob era)."""
        async with self._db.reader.execute("SELECT 1 FROM segments LIMIT 1") as cur:
            return await cur.fetchone() is not None

    async def legacy_blobs(self) -> dict[str, bytes]:
        """The whole-index blobs older versions saved (empty once converted)."""
        async with self._db.reader.execute("SELECT name, data FROM index_blobs") as cur:
            return {str(r[0]): bytes(r[1]) async for r in cur}


class SegmentWrites:
    """Registry writes, available as `Transaction.segments` inside `Store.transaction()`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def register(self, info: SegmentInfo) -> int:
        """Record a written segment as live; returns its generation."""
        async with self._conn.execute(
            "INSERT INTO segments (name, n_docs, total_length, state, created)"
            " VALUES (?, ?, ?, 'live', ?) RETURNING generation",
            (info.name, info.n_docs, info.total_length, time.time()),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return int(row[0])

    async def add_tombstones(self, passage_ids: Iterable[int]) -> None:
        """Mark passages deleted: answers exclude them from the next view on."""
        await self._conn.executemany(
            "INSERT INTO tombstones (passage_id) VALUES (?) ON CONFLICT DO NOTHING",
            [(int(i),) for i in passage_ids],
        )

    async def remove_tombstones(self, passage_ids: Iterable[int]) -> None:
        """Forget tombstones a merge applied (their passages are gone from every segment)."""
        await self._conn.executemany(
            "DELETE FROM tombstones WHERE passage_id = ?", [(int(i),) for i in passage_ids]
        )

    async def all_live(self, generations: Sequence[int]) -> bool:
        """Whether every one of `generations` is still live (a merge's inputs)."""
        marks = ",".join("?" * len(generations))
        async with self._conn.execute(
            f"SELECT count(*) FROM segments WHERE state = 'live' AND generation IN ({marks})",
            list(generations),
        ) as cur:
            row = await cur.fetchone()
        return row is not None and int(row[0]) == len(set(generations))

    async def live_count(self) -> int:
        """How many segments are live."""
        sql = "SELECT count(*) FROM segments WHERE state = 'live'"
        async with self._conn.execute(sql) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def retire(self, generations: Sequence[int]) -> None:
        """Take segments out of the live set (their directories are removed later)."""
        await self._conn.executemany(
            "UPDATE segments SET state = 'retired', retired = ? WHERE generation = ?",
            [(time.time(), g) for g in generations],
        )

    async def names(self) -> set[str]:
        """Directory names of every registered segment, live or retired."""
        async with self._conn.execute("SELECT name FROM segments") as cur:
            return {str(r[0]) async for r in cur}

    async def retired_before(self, cutoff: float) -> dict[int, str]:
        """`{generation: name}` of segments retired before the epoch time `cutoff`."""
        sql = "SELECT generation, name FROM segments WHERE state = 'retired' AND retired < ?"
        async with self._conn.execute(sql, (cutoff,)) as cur:
            return {int(r[0]): str(r[1]) async for r in cur}

    async def forget(self, generations: Iterable[int]) -> None:
        """Delete retired segments' rows (after their directories were removed)."""
        await self._conn.executemany(
            "DELETE FROM segments WHERE generation = ? AND state = 'retired'",
            [(g,) for g in generations],
        )

    async def bump_generation(self) -> None:
        """Tell readers the live set or the tombstones changed."""
        await self._conn.execute("UPDATE index_state SET generation = generation + 1 WHERE id = 1")

    async def drop_legacy_blobs(self) -> None:
        """Delete the whole-index blobs of older versions (converted into a segment)."""
        await self._conn.execute("DELETE FROM index_blobs")
