"""Feed and subscription tables."""

from __future__ import annotations

from pathlib import Path

from retrieval.store import Store
from retrieval.upkeep_records import FeedPollState


async def test_feeds_are_unique_by_url_and_record_each_poll(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    try:
        feed = await store.feeds.add("https://a.example/rss", 15, "2025-01-01T00:00:00+00:00")
        assert feed is not None and feed.interval_minutes == 15 and feed.failures == 0
        assert await store.feeds.add("https://a.example/rss", 5, "x") is None  # duplicate
        assert await store.feeds.due("2024-12-31T00:00:00+00:00") == []
        assert [f.id for f in await store.feeds.due("2025-01-01T00:00:00+00:00")] == [feed.id]
        ok = FeedPollState("2025-01-01T00:00:00+00:00", True, '"e"', "lm", "", 3, 0, "2025-01-02")
        await store.feeds.record_poll(feed.id, ok)
        bad = FeedPollState("2025-01-02T00:00:00+00:00", False, '"e"', "lm", "boom", 0, 1, "z")
        await store.feeds.record_poll(feed.id, bad)
        after = await store.feeds.get(feed.id)
        assert after is not None
        assert (after.etag, after.last_modified, after.items_added) == ('"e"', "lm", 3)
        assert after.last_success == "2025-01-01T00:00:00+00:00"  # kept through the failure
        assert (after.last_polled, after.last_error, after.failures, after.next_poll) == (
            "2025-01-02T00:00:00+00:00", "boom", 1, "z",
        )
        assert await store.feeds.remove(feed.id) and not await store.feeds.remove(feed.id)
        assert await store.feeds.all() == []
    finally:
        await store.close()


async def test_subscriptions_belong_to_their_user(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    try:
        mine = await store.subscriptions.add(1, 10, "乐山 项目")
        theirs = await store.subscriptions.add(2, 20, "高铁")
        assert [s.query for s in await store.subscriptions.of_user(1)] == ["乐山 项目"]
        assert len(await store.subscriptions.of_user()) == 2
        assert not await store.subscriptions.remove(theirs.id, 1)  # not user 1's to remove
        await store.subscriptions.record_alert([mine.id])
        alerted = (await store.subscriptions.of_user(1))[0]
        assert alerted.last_alert >= alerted.created
        assert await store.subscriptions.remove_chat(20) == 1
        assert await store.subscriptions.remove(mine.id, 1)
        assert await store.subscriptions.of_user() == []
    finally:
        await store.close()
