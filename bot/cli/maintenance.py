"""The `newsbot` commands that keep a database in shape: the demo page, deleting and pruning
articles, JSON Lines backups, and the `doctor` health check (which also asks Telegram's getMe
whether the bot token is valid, when one is configured).

They register on the `newsbot` app of `bot.cli.running` and run through its `with_service`
(open the service, turn user errors into one line), like every other command.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from typing import Annotated

import typer

import retrieval
from bot import local_time
from bot.cli import plaintext
from bot.cli.running import (
    DbOption,
    JsonOption,
    app,
    as_json,
    cli_settings,
    fail,
    with_service,
)
from bot.config import SEED_DIR, Settings
from retrieval import NewsService


@app.command()
def demo(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Load the demo newspaper page (seeds/) to try newsbot; never loaded otherwise."""
    if not SEED_DIR.is_dir():
        fail(f"the demo folder {SEED_DIR} is missing (it ships with the source tree)")
    report = with_service(db, lambda s: s.ingest([SEED_DIR]))
    typer.echo(as_json(report) if json_out else plaintext.ingest(report))
    if report.failed:
        raise typer.Exit(1)


def _date_option(name: str, value: str) -> dt.date:
    """A YYYY-MM-DD option value; anything else is one line and exit code 1."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{name}: {value!r} is not a date (expected YYYY-MM-DD, e.g. 2023-07-01)")


@app.command()
def delete(
    ids: Annotated[list[str], typer.Argument(metavar="ID...", help="Article ids.")],
    db: DbOption = None,
) -> None:
    """Delete articles and their passages: gone from every answer at once."""
    removed = with_service(db, lambda s: s.delete_articles(ids))
    typer.echo(f"{removed} articles deleted")
    missing = len(set(ids)) - removed
    if missing:
        fail(f"{missing} of the ids are not stored (see `newsbot articles`)")


@app.command()
def prune(
    before: Annotated[
        str | None, typer.Option("--before", metavar="DATE", help="Delete articles dated before.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", metavar="NAME", help="Only this publication's.")
    ] = None,
    retention: Annotated[
        bool, typer.Option("--retention", help="Delete what is older than RETENTION_DAYS.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Delete old articles (undated ones count from the day they were ingested)."""
    if (before is None) == (not retention):
        fail("give either --before DATE or --retention")
    if retention:
        days = cli_settings().retention_days
        if days is None:
            fail("RETENTION_DAYS is not set (in the environment or .env); nothing to apply")
        if source is not None:
            fail("--source goes with --before, not with --retention")
        removed = with_service(db, lambda s: s.apply_retention(days, local_time.today()))
        typer.echo(f"{removed} articles older than {days} days deleted")
        return
    assert before is not None
    day = _date_option("--before", before)

    async def prune_known_source(service: NewsService) -> int:
        known = [name for name, _, _ in (await service.stats()).sources]
        if source is not None and source not in known:
            fail(f"no source named {source!r} (known: {', '.join(known) or 'none'})")
        return await service.prune(day, source)

    removed = with_service(db, prune_known_source)
    typer.echo(f"{removed} articles dated before {day.isoformat()} deleted")


@app.command()
def export(
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only articles from DATE on.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write every article as JSON Lines on stdout (`newsbot ingest` reads it back)."""
    day = _date_option("--since", since) if since is not None else None

    async def write_all(service: NewsService) -> int:
        count = 0
        async for article in service.export_articles(day):
            sys.stdout.write(json.dumps(retrieval.jsonl_record(article), ensure_ascii=False) + "\n")
            count += 1
        return count

    count = with_service(db, write_all)
    typer.echo(f"{count} articles exported", err=True)


async def _token_problem(settings: Settings) -> tuple[str | None, str]:
    """`(problem, bot username)`: getMe with TELEGRAM_BOT_TOKEN, never showing the token."""
    # Imported here: only `doctor` with a token talks to Telegram, and the library takes a
    # noticeable share of every other command's start-up.
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    token = settings.bot_token()
    bot = Bot(token, base_url=settings.telegram_base_url)
    try:
        async with bot:
            me = await bot.get_me()
    except InvalidToken:
        return "Telegram rejected TELEGRAM_BOT_TOKEN (getMe); check it with @BotFather", ""
    except TelegramError as exc:
        reason = str(exc).replace(token, "<token>")
        return f"cannot check TELEGRAM_BOT_TOKEN: Telegram did not answer getMe ({reason})", ""
    return None, me.username or ""


@app.command()
def doctor(db: DbOption = None) -> None:
    """Check the database, the index against the articles, the feeds, and the bot token;
    one line per problem and exit code 1 when there is any."""
    settings = cli_settings()
    report = with_service(db, lambda s: s.check_health(), repair=False)
    problems = list(report.problems)
    checked = (
        f"{report.articles} articles, {report.passages} passages, {report.indexed} indexed, "
        f"{report.feeds} feeds"
    )
    if settings.telegram_bot_token is not None and settings.telegram_bot_token.get_secret_value():
        problem, username = asyncio.run(_token_problem(settings))
        if problem:
            problems.append(problem)
        else:
            checked += f", token valid (@{username})"
    for line in problems:
        typer.echo(f"problem: {line}")
    if problems:
        raise typer.Exit(1)
    typer.echo(f"ok: {checked}")
