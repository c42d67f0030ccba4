"""The polling round the bot runs on its JobQueue: poll due feeds, then alert subscribers.

Each round fetches the feeds that are due (`NewsService.poll_feeds`), and when that brought
new or changed articles, checks every subscription against them. A chat gets at most ONE
message per round, listing the matching articles under each of its matching queries (an
article matching two of a chat's queries is listed once), so a busy feed cannot flood it.
A subscription alerts at most `ALERTS_PER_HOUR` times an hour; a chat that blocked the bot
(Forbidden) loses its subscriptions, since nothing can be delivered there any more.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from telegram.error import Forbidden, TelegramError

from bot.handlers.replying import send
from bot.render import feeds as feed_render
from bot.state import App, BotState, Context
from retrieval import FeedPollReport, Hit, SubscriptionRow

logger = logging.getLogger(__name__)

#: Polling rounds run this often (the feeds' own intervals decide which are due).
POLL_INTERVAL_SECONDS = 60.0
POLL_JOB_NAME = "poll-feeds"
#: Articles listed in one alert, over all of a chat's queries (keeps it to one message).
MAX_ALERT_ITEMS = 10


def schedule_feed_polling(application: App) -> None:
    """Run a polling round (`poll_feeds_job`) every minute while the bot runs.

    The JobQueue starts and stops with the application, so rounds never outlive the
    service that post_shutdown closes. It needs the ``python-telegram-bot[job-queue]``
    extra; without it the bot still answers questions and says why feeds are not polled.
    """
    if application.job_queue is None:
        logger.warning(
            "feeds will not be polled: install python-telegram-bot[job-queue] for the JobQueue"
        )
        return
    application.job_queue.run_repeating(
        poll_feeds_job,
        interval=POLL_INTERVAL_SECONDS,
        first=POLL_INTERVAL_SECONDS,
        name=POLL_JOB_NAME,
    )


@dataclass
class PollRound:
    """What one round did: the feeds polled, and the chats alerted or unsubscribed."""

    feeds: list[FeedPollReport] = field(default_factory=list)
    alerted: dict[int, list[int]] = field(default_factory=dict)  # chat id -> subscription ids
    unsubscribed: list[int] = field(default_factory=list)  # chat ids that blocked the bot


async def poll_feeds_job(context: Context) -> None:
    """The JobQueue callback: one polling round (skipped while the service is not open)."""
    if context.bot_data.service is None:
        return
    await poll_and_alert(context)


async def poll_and_alert(context: Context) -> PollRound:
    """Poll the due feeds and send each subscriber one alert about matching new articles."""
    st = context.bot_data
    done = PollRound()
    async with st.poll_lock:
        done.feeds = await st.news.poll_feeds()
        for report in done.feeds:
            if report.status == "error":
                logger.warning("feed %d failed: %s", report.feed_id, report.error)
            elif report.added or report.replaced:
                logger.info(
                    "feed %d: %d added, %d replaced", report.feed_id, report.added,
                    report.replaced,
                )
        new_ids = [i for report in done.feeds for i in report.new_article_ids]
        if not new_ids:
            return done
        for chat_id, matches in (await matches_by_chat(st, new_ids)).items():
            rendered = feed_render.alert([(sub.query, hits) for sub, hits in matches])
            try:
                await send(context, chat_id, rendered)
            except Forbidden:
                removed = await st.news.unsubscribe_chat(chat_id)
                logger.info("chat %s blocked the bot: %d subscriptions removed", chat_id, removed)
                done.unsubscribed.append(chat_id)
                continue
            except TelegramError as exc:  # one chat's trouble must not stop the others
                logger.warning("could not alert chat %s: %s", chat_id, exc)
                continue
            ids = [sub.id for sub, _ in matches]
            await st.news.record_alert(ids)
            done.alerted[chat_id] = ids
    return done


async def matches_by_chat(
    st: BotState, new_ids: list[str]
) -> dict[int, list[tuple[SubscriptionRow, list[Hit]]]]:
    """Per chat, its subscriptions that match new articles and may still alert this hour."""
    by_chat: dict[int, list[tuple[SubscriptionRow, list[Hit]]]] = defaultdict(list)
    listed: dict[int, set[str]] = defaultdict(set)
    matching: dict[str, list[Hit]] = {}  # many users subscribe to the same words
    for sub in await st.news.subscriptions():
        room = MAX_ALERT_ITEMS - len(listed[sub.chat_id])
        if room <= 0:
            continue
        if sub.query not in matching:
            matching[sub.query] = await st.news.new_articles_matching(sub.query, new_ids)
        hits = [h for h in matching[sub.query] if h.article_id not in listed[sub.chat_id]][:room]
        if not hits or not st.alert_limiter.hit(sub.id).allowed:
            continue
        listed[sub.chat_id].update(h.article_id for h in hits)
        by_chat[sub.chat_id].append((sub, hits))
    return dict(by_chat)
