"""The feeds polled on a schedule and the users' keyword subscriptions.

Feeds keep their conditional-GET validators and health (last error, consecutive failures, next
poll) so the scheduler in `retrieval.service.feeds` can back off; subscriptions are standing
queries whose alerts go to a chat. Timestamps are ISO 8601 UTC text, compared as strings.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.store.connection import Database, utcnow
from retrieval.upkeep_records import FeedPollState, FeedRow, SubscriptionRow

_FEED_COLUMNS = (
    "id, url, interval_minutes, etag, last_modified, last_polled, last_success, last_error,"
    " items_added, failures, next_poll"
)
_SUBSCRIPTION_COLUMNS = "id, user_id, chat_id, query, created, last_alert"


def _feed(row: Sequence[object]) -> FeedRow:
    return FeedRow(
        id=int(str(row[0])), url=str(row[1]), interval_minutes=int(str(row[2])),
        etag=str(row[3]), last_modified=str(row[4]), last_polled=str(row[5]),
        last_success=str(row[6]), last_error=str(row[7]), items_added=int(str(row[8])),
        failures=int(str(row[9])), next_poll=str(row[10]),
    )


def _subscription(row: Sequence[object]) -> SubscriptionRow:
    return SubscriptionRow(
        int(str(row[0])), int(str(row[1])), int(str(row[2])), str(row[3]), str(row[4]),
        str(row[5]),
    )


class FeedTable:
    """Reads and writes of the `feeds` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self) -> list[FeedRow]:
        """Every feed, in the order they were added."""
        async with self._db.reader.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id") as cur:
            return [_feed(r) async for r in cur]

    async def get(self, feed_id: int) -> FeedRow | None:
        """One feed, or None."""
        sql = f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ?"
        async with self._db.reader.execute(sql, (feed_id,)) as cur:
            row = await cur.fetchone()
        return _feed(row) if row else None

    async def due(self, now: str) -> list[FeedRow]:
        """Feeds whose next poll is at or before the ISO timestamp `now` (or never set)."""
        sql = f"SELECT {_FEED_COLUMNS} FROM feeds WHERE next_poll <= ? ORDER BY next_poll, id"
        async with self._db.reader.execute(sql, (now,)) as cur:
            return [_feed(r) async for r in cur]

    async def add(self, url: str, interval_minutes: int, next_poll: str) -> FeedRow | None:
        """Insert a feed; None when the URL is already there."""
        async with self._db.single_write() as conn:
            async with conn.execute(
                "INSERT INTO feeds (url, interval_minutes, next_poll) VALUES (?, ?, ?)"
                " ON CONFLICT (url) DO NOTHING RETURNING id",
                (url, interval_minutes, next_poll),
            ) as cur:
                row = await cur.fetchone()
            return await self.get(int(row[0])) if row else None

    async def remove(self, feed_id: int) -> bool:
        """Delete a feed (its articles stay); False when there was none."""
        sql = "DELETE FROM feeds WHERE id = ?"
        async with self._db.single_write() as conn, conn.execute(sql, (feed_id,)) as cur:
            return cur.rowcount > 0

    async def record_poll(self, feed_id: int, state: FeedPollState) -> None:
        """Save the outcome of one poll: validators, health counters and the next poll time."""
        async with self._db.single_write() as conn:
            await conn.execute(
                """UPDATE feeds SET etag = ?, last_modified = ?, last_polled = ?,
                       last_success = CASE WHEN ? THEN ? ELSE last_success END,
                       last_error = ?, items_added = items_added + ?, failures = ?, next_poll = ?
                   WHERE id = ?""",
                (
                    state.etag, state.last_modified, state.polled, int(state.success), state.polled,
                    state.error, state.added, state.failures, state.next_poll, feed_id,
                ),
            )


class SubscriptionTable:
    """Reads and writes of the `subscriptions` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def of_user(self, user_id: int | None = None) -> list[SubscriptionRow]:
        """A user's subscriptions (everyone's when `user_id` is None), oldest first."""
        where, args = ("WHERE user_id = ?", (user_id,)) if user_id is not None else ("", ())
        sql = f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions {where} ORDER BY id"
        async with self._db.reader.execute(sql, args) as cur:
            return [_subscription(r) async for r in cur]

    async def add(self, user_id: int, chat_id: int, query: str) -> SubscriptionRow:
        """Store a new subscription."""
        async with self._db.single_write() as conn:
            async with conn.execute(
                "INSERT INTO subscriptions (user_id, chat_id, query, created) VALUES (?, ?, ?, ?)"
                f" RETURNING {_SUBSCRIPTION_COLUMNS}",
                (user_id, chat_id, query, utcnow()),
            ) as cur:
                row = await cur.fetchone()
            assert row is not None
            return _subscription(row)

    async def remove(self, subscription_id: int, user_id: int) -> bool:
        """Delete one of `user_id`'s subscriptions; False when they have no such one."""
        async with self._db.single_write() as conn, conn.execute(
            "DELETE FROM subscriptions WHERE id = ? AND user_id = ?", (subscription_id, user_id)
        ) as cur:
            return cur.rowcount > 0

    async def remove_chat(self, chat_id: int) -> int:
        """Delete every subscription alerting `chat_id` (the bot can no longer write there)."""
        async with self._db.single_write() as conn, conn.execute(
            "DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,)
        ) as cur:
            return cur.rowcount

    async def record_alert(self, subscription_ids: Sequence[int]) -> None:
        """Note that these subscriptions were just alerted."""
        async with self._db.single_write() as conn:
            now = utcnow()
            await conn.executemany(
                "UPDATE subscriptions SET last_alert = ? WHERE id = ?",
                [(now, i) for i in subscription_ids],
            )
