"""The `newsbot feeds` commands: add, list, remove and poll feeds, and move feed lists in and
out as OPML (for feed readers, or another newsbot)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli import plaintext
from bot.cli.running import DbOption, JsonOption, as_json, fail, feeds_app, with_service
from retrieval import (
    DEFAULT_FEED_MINUTES,
    MAX_FEED_MINUTES,
    MIN_FEED_MINUTES,
    FeedImportReport,
    FeedProblem,
    NewsService,
)


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="An RSS/Atom/JSON feed or an article page.")],
    minutes: Annotated[
        int,
        typer.Option(
            "--minutes", min=MIN_FEED_MINUTES, max=MAX_FEED_MINUTES, help="Polling interval."
        ),
    ] = DEFAULT_FEED_MINUTES,
    db: DbOption = None,
) -> None:
    """Poll URL every --minutes (first poll: the next `feeds poll` or bot round)."""
    feed = with_service(db, lambda s: s.add_feed(url, minutes))
    typer.echo(f"added feed {feed.id}: {feed.url} every {feed.interval_minutes} min")


@feeds_app.command("list")
def feeds_list(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Every feed with its interval, health, items added and last error."""
    rows = with_service(db, lambda s: s.feeds())
    typer.echo(as_json(rows) if json_out else plaintext.feeds(rows))


@feeds_app.command("remove")
def feeds_remove(
    feed_id: Annotated[int, typer.Argument(metavar="ID", help="Feed id (see `feeds list`).")],
    db: DbOption = None,
) -> None:
    """Stop polling a feed (the articles it brought stay)."""
    if not with_service(db, lambda s: s.remove_feed(feed_id)):
        fail(f"no feed with id {feed_id} (see `newsbot feeds list`)")
    typer.echo(f"removed feed {feed_id}")


@feeds_app.command("poll")
def feeds_poll(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Poll every feed once, due or not; exit code 1 when any feed failed."""
    reports = with_service(db, lambda s: s.poll_feeds(due_only=False))
    typer.echo(as_json(reports) if json_out else plaintext.feed_poll(reports))
    if any(r.status == "error" for r in reports):
        raise typer.Exit(1)


@feeds_app.command("export")
def feeds_export(db: DbOption = None) -> None:
    """Write every feed as OPML on stdout (for feed readers, or `feeds import` elsewhere)."""
    typer.echo(with_service(db, lambda s: s.export_feeds_opml()), nl=False)


@feeds_app.command("import")
def feeds_import(
    path: Annotated[Path, typer.Argument(metavar="FILE.opml", help="An OPML feed list.")],
    minutes: Annotated[
        int,
        typer.Option(
            "--minutes",
            min=MIN_FEED_MINUTES,
            max=MAX_FEED_MINUTES,
            help="Polling interval for feeds the file gives none.",
        ),
    ] = DEFAULT_FEED_MINUTES,
    db: DbOption = None,
) -> None:
    """Poll every feed an OPML file lists (feeds already polled are left as they are)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")

    async def import_feeds(service: NewsService) -> FeedImportReport:
        try:
            return await service.import_feeds_opml(data, minutes)
        except FeedProblem as exc:  # not an OPML document
            fail(f"{path}: {exc}")

    report = with_service(db, import_feeds)
    typer.echo(plaintext.feed_import(report))
    if report.refused:
        raise typer.Exit(1)
