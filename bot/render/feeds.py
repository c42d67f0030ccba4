"""Feeds (for admins), a user's subscriptions, and the alert sent when new articles match a
subscription, as Telegram HTML."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot import local_time, texts
from bot.markup import esc, short
from bot.render import Rendered
from retrieval import FeedRow, Hit, SubscriptionRow


def _when(iso: str) -> str:
    """An ISO timestamp in the operator's time zone, with its time (「昨天 14:30」), or 「-」."""
    return local_time.show(iso, always_time=True) if iso else texts.MISSING


def feeds(rows: Sequence[FeedRow]) -> Rendered:
    """Every feed with its interval, health, items added and last error (admins)."""
    if not rows:
        return texts.FEEDS_EMPTY, None
    blocks = [texts.FEEDS_HEAD]
    for f in rows:
        if not f.last_polled:
            health = texts.FEED_NEVER
        elif f.failures:
            health = texts.FEED_FAILING.format(n=f.failures, next=esc(_when(f.next_poll)))
        else:
            health = texts.FEED_OK
        line = texts.FEED_LINE.format(
            id=f.id,
            url=esc(f.url),
            minutes=f.interval_minutes,
            health=health,
            items=f.items_added,
            polled=esc(_when(f.last_polled)),
        )
        if f.last_error:
            line += "\n" + texts.FEED_LAST_ERROR.format(error=esc(short(f.last_error, 300)))
        blocks.append(line)
    return "\n\n".join(blocks), None


def subscriptions(rows: Sequence[SubscriptionRow]) -> Rendered:
    """A user's subscriptions with the ids /unsubscribe takes."""
    if not rows:
        return texts.SUBSCRIPTIONS_EMPTY, None
    lines = [texts.SUBSCRIPTIONS_HEAD]
    lines += [texts.SUBSCRIPTION_LINE.format(id=r.id, query=esc(r.query)) for r in rows]
    return "\n".join(lines), None


def alert(matches: Sequence[tuple[str, Sequence[Hit]]]) -> Rendered:
    """One message for one subscriber: per matching query, the new articles as
    「title · source · link」 (the link is the article URL, shown and clickable)."""
    total = sum(len(hits) for _, hits in matches)
    blocks = [texts.ALERT_HEAD.format(n=total)]
    for query, hits in matches:
        lines = [texts.ALERT_QUERY.format(query=esc(query))]
        for hit in hits:
            parts = [esc(short(hit.title or texts.UNTITLED, 100))]
            if hit.source:
                parts.append(esc(short(hit.source, 40)))
            if hit.url.startswith(("http://", "https://")):
                shown = short(hit.url, 80)
                parts.append(f'<a href="{html.escape(hit.url, quote=True)}">{esc(shown)}</a>')
            lines.append(texts.ALERT_ITEM.format(item=texts.SOURCE_SEPARATOR.join(parts)))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks), None
