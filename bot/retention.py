"""RETENTION_DAYS in the bot: a daily JobQueue job that prunes articles older than that.

Pruning goes through `NewsService.apply_retention` (the same rule as `newsbot prune
--retention`), relative to today in the operator's time zone. Without RETENTION_DAYS nothing
is scheduled and every article is kept.
"""

from __future__ import annotations

import logging

from bot import local_time
from bot.state import App, Context

logger = logging.getLogger(__name__)

RETENTION_JOB_NAME = "retention"
#: Pruning runs this often; the first run is soon after start-up, so a bot that restarts
#: daily still prunes.
RETENTION_INTERVAL_SECONDS = 24 * 3600.0
FIRST_RUN_SECONDS = 120.0


def schedule_retention(application: App) -> None:
    """Prune once a day when RETENTION_DAYS is set (needs the JobQueue, like feed polling)."""
    days = application.bot_data.settings.retention_days
    if days is None:
        return
    if application.job_queue is None:
        logger.warning("RETENTION_DAYS=%d is not applied: the JobQueue is not installed", days)
        return
    application.job_queue.run_repeating(
        prune_job,
        interval=RETENTION_INTERVAL_SECONDS,
        first=FIRST_RUN_SECONDS,
        name=RETENTION_JOB_NAME,
    )


async def prune_job(context: Context) -> None:
    """The JobQueue callback: delete the articles older than RETENTION_DAYS."""
    state = context.bot_data
    days = state.settings.retention_days
    if state.service is None or days is None:
        return
    removed = await state.news.apply_retention(days, local_time.today())
    logger.info("retention: %d articles older than %d days deleted", removed, days)
