"""The `newsbot` command: the product in a terminal, on an embedded SQLite database.

This module holds the commands that load and read the news (ingest, search, ask, summary,
articles, show, reindex, stats, sources), the terminal session (`chat`), the Telegram bot
(`run`) and the entry point; `feeds` and `maintenance` add theirs to the same app. Every
command is a thin renderer over `NewsService` (see `bot.cli.running`); `--json` output is a
stable interface for scripts (documented in the README), and `search`/`ask --queries FILE`
answer a file of inputs with the index loaded once.
"""

from __future__ import annotations

import dataclasses
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli import plaintext
from bot.cli.chat import chat_loop
from bot.cli.progress import Bars
from bot.cli.running import (
    DbOption,
    JsonOption,
    app,
    as_json,
    cli_settings,
    fail,
    with_service,
)
from retrieval import Answer, NewsService, Progress, QueryError, ReadOptions

__all__ = ["app", "main"]


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to load.")],
    db: DbOption = None,
    json_out: JsonOption = False,
    source: Annotated[str, typer.Option(help="Paper name for pages without a masthead.")] = "",
    date: Annotated[
        str, typer.Option(help="Date (YYYY-MM-DD) for pages without a printed date.")
    ] = "",
    max_pdf_pages: Annotated[int, typer.Option(min=1, help="Refuse longer PDFs.")] = 64,
) -> None:
    """Load newspaper pages (.txt, .pdf), JSON Lines records (.jsonl, .jsonl.gz), .txt/.md."""
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        fail(f"--date {date!r}: expected YYYY-MM-DD, e.g. 2025-06-10")
    options = ReadOptions(source=source, date=date, max_pdf_pages=max_pdf_pages)
    bars = Bars()
    progress: Progress = bars
    try:
        report = with_service(db, lambda s: s.ingest(paths, progress, options))
    finally:
        bars.close()
    typer.echo(as_json(report) if json_out else plaintext.ingest(report))
    if report.failed:
        raise typer.Exit(1)


class Sort(StrEnum):
    """The orders `search --sort` takes."""

    relevance = "relevance"
    date = "date"


SortOption = Annotated[
    Sort, typer.Option("--sort", help="relevance (best first) or date (newest first).")
]


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="Keywords or a question.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="Number of passages.")] = 10,
    queries: Annotated[
        Path | None, typer.Option("--queries", help="File with one query per line.")
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Only this publication (repeatable); = source:NAME."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only articles dated on/after; = since:DATE.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only articles dated on/before; = until:DATE.")
    ] = None,
    sort: SortOption = Sort.relevance,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Ranked passages for a query (or for every line of --queries FILE).

    The query may use the search syntax: "exact phrase", -word, source:NAME, since:DATE,
    until:DATE (DATE as 2023-07-01, 2023-07 or 2023).
    """
    if (query is None) == (queries is None):
        fail("give either a QUERY or --queries FILE")
    filters = with_filters("", source or [], since, until)
    if queries is not None:
        lines = [with_filters(line, source or [], since, until) for line in _read_lines(queries)]
        with_service(
            db, lambda s: _search_many(s, lines, k, json_out, sort.value), needs_articles=True
        )
        return
    assert query is not None
    full = f"{query} {filters}".strip()
    result = with_service(db, lambda s: s.search(full, k, sort=sort.value), needs_articles=True)
    typer.echo(as_json(_search_json(result)) if json_out else plaintext.search(result))


def with_filters(query: str, sources: list[str], since: str | None, until: str | None) -> str:
    """`query` with the command-line filters written as search operators."""
    parts = [query] if query else []
    parts += [f'source:"{name}"' for name in sources]
    parts += [f'since:"{since}"'] if since else []
    parts += [f'until:"{until}"'] if until else []
    return " ".join(parts)


def _read_lines(path: Path) -> list[str]:
    """The non-blank lines of a UTF-8 file of queries; a file that cannot be read is one line."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _search_json(result: Any) -> dict[str, Any]:
    return {
        "query": result.query,
        "terms": result.terms,
        "took_ms": round(result.took_ms, 3),
        "sort": result.sort,
        "hits": [dataclasses.asdict(h) for h in result.hits],
    }


async def _prepare_for_batch(service: NewsService, lines: list[str]) -> None:
    """Load ahead what pays over many questions; a one-line batch is one question."""
    if len(lines) > 1:
        await service.prepare_for_many_questions()


async def _search_many(
    service: NewsService, lines: list[str], k: int, json_out: bool, sort: str = "relevance"
) -> None:
    await _prepare_for_batch(service, lines)
    for line in lines:
        try:
            result = await service.search(line, k, sort=sort)
        except QueryError as exc:
            if json_out:
                typer.echo(as_json({"query": line, "hits": [], "took_ms": 0.0, "error": str(exc)}))
            else:
                typer.echo(f"== {line}\nerror: {exc}\n")
            continue
        if json_out:
            typer.echo(as_json(_search_json(result)))
        else:
            typer.echo(f"== {line}\n{plaintext.search(result)}\n")


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="A question about the news.")] = None,
    queries: Annotated[
        Path | None, typer.Option("--queries", help="File with one question per line.")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """The sentence that best answers QUESTION (or every line of --queries FILE), with the
    passages and sources behind it."""
    if (question is None) == (queries is None):
        fail("give either a QUESTION or --queries FILE")
    if queries is not None:
        lines = _read_lines(queries)
        with_service(db, lambda s: _ask_many(s, lines, json_out), needs_articles=True)
        return
    assert question is not None
    result = with_service(db, lambda s: s.ask(question), needs_articles=True)
    typer.echo(as_json(result) if json_out else plaintext.answer(result))


async def _ask_many(service: NewsService, lines: list[str], json_out: bool) -> None:
    """One answer per line; an unsearchable line is reported in place and the rest go on."""
    await _prepare_for_batch(service, lines)
    for line in lines:
        try:
            result: Answer = await service.ask(line)
        except QueryError as exc:
            if json_out:
                failed = {"question": line, "found": False, "sentence": "", "hits": []}
                typer.echo(as_json({**failed, "took_ms": 0.0, "error": str(exc)}))
            else:
                typer.echo(f"== {line}\nerror: {exc}\n")
            continue
        typer.echo(as_json(result) if json_out else f"== {line}\n{plaintext.answer(result)}\n")


@app.command()
def summary(
    target: Annotated[str | None, typer.Argument(help="An article id or a topic.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Summary of an article, of the articles on a topic, or (no argument) of the latest news."""
    result = with_service(db, lambda s: s.summarize(target))
    typer.echo(as_json(result) if json_out else plaintext.summary(result))


@app.command()
def articles(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 20,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Recent articles with their ids."""
    rows = with_service(db, lambda s: s.articles(limit))
    typer.echo(as_json(rows) if json_out else plaintext.articles(rows))


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """One whole article, paragraph by paragraph."""
    result = with_service(db, lambda s: s.article(article_id))
    typer.echo(as_json(result) if json_out else plaintext.article(result))


@app.command()
def reindex(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Also (re)load these; default: the configured data folders."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Reload the data folders and rebuild the index (answers keep working meanwhile)."""
    sources = paths or cli_settings().existing_data_dirs()
    bars = Bars()
    try:
        report = with_service(db, lambda s: s.reindex(sources, bars))
    finally:
        bars.close()
    typer.echo(plaintext.reindex(report))
    if report.ingest.failed:
        raise typer.Exit(1)


@app.command()
def stats(db: DbOption = None, json_out: JsonOption = False) -> None:
    """What is loaded, and how questions are being answered today."""
    result = with_service(db, lambda s: s.stats())
    typer.echo(as_json(result) if json_out else plaintext.stats(result))


@app.command()
def sources(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Each publication with its article count and newest date."""
    rows = with_service(db, lambda s: s.sources())
    typer.echo(as_json(rows) if json_out else plaintext.sources(rows))


@app.command()
def chat(db: DbOption = None) -> None:
    """An interactive session taking the bot's inputs: questions, /search, /summary, …"""
    with_service(db, chat_loop)


@app.command()
def run(db: DbOption = None) -> None:
    """Run the Telegram bot (needs TELEGRAM_BOT_TOKEN)."""
    settings = cli_settings()
    try:
        settings.bot_token()
    except ValueError:
        fail(
            "TELEGRAM_BOT_TOKEN is not set (in the environment or .env). "
            "Without a token, use `newsbot chat` to talk to the bot in this terminal."
        )
    from bot.app import main as run_bot

    if db is not None:
        settings = settings.replace(newsbot_db=db)
    run_bot(settings)


def main() -> None:
    """Entry point of the `newsbot` script."""
    app()


# The feeds and maintenance commands register themselves on the same app; imported last so
# that `newsbot --help` lists the everyday commands first.
from bot.cli import feeds, maintenance  # noqa: E402, F401
