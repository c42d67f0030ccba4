"""The `newsbot` command: the product in a terminal, on an embedded SQLite database.

Every command is a thin renderer over `NewsService` (opened by `bot.config` from the same
settings as the bot); `--json` output is a stable interface for scripts (documented in the
README), and `search`/`ask --queries FILE` answer a file of inputs with the index loaded once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from bot import local_time
from bot.cli import plaintext
from bot.cli.chat import chat_loop
from bot.cli.progress import Bars
from bot.config import Settings, SettingsError, load_settings, open_news_service
from retrieval import (
    DEFAULT_FEED_MINUTES,
    MAX_FEED_MINUTES,
    MIN_FEED_MINUTES,
    Answer,
    FeedProblem,
    NewsService,
    Progress,
    QueryError,
    ReadOptions,
    StoreError,
    UnknownArticle,
)

app = typer.Typer(
    help="Ask questions about the news, from the articles themselves.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

feeds_app = typer.Typer(
    help="Feeds and web pages polled on a schedule (while the bot runs, or by `feeds poll`).",
    no_args_is_help=True,
)
app.add_typer(feeds_app, name="feeds")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Database file (default: $NEWSBOT_DB or data/newsbot.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
T = TypeVar("T")


def _settings() -> Settings:
    """The validated settings; a bad variable is one line each, and exit code 1."""
    try:
        return load_settings()
    except SettingsError as exc:
        for line in str(exc).splitlines():
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(1) from None


@asynccontextmanager
async def _service(db: Path | None, *, repair: bool = True) -> AsyncIterator[NewsService]:
    settings = _settings()
    if db is not None:
        settings = settings.model_copy(update={"newsbot_db": db})
    local_time.use_zone(settings.zone())
    service = await open_news_service(settings, repair=repair)
    try:
        yield service
    finally:
        await service.close()


@dataclasses.dataclass
class _Interruption:
    """What an interrupted command knows: the signal, and the article counts before and after."""

    signal: str = "Ctrl-C"
    path: Path | None = None
    before: int | None = None
    after: int | None = None

    def message(self) -> str:
        """One line saying what the database holds now (everything committed is kept)."""
        head = f"interrupted by {self.signal}"
        if self.after is None or self.before is None:
            return f"{head} while opening the database; nothing of this command was stored"
        added = self.after - self.before
        done = f"{added} added by this command" if added > 0 else "none added by this command"
        return (
            f"{head}; {self.path} holds {self.after} articles ({done}); "
            "everything committed is kept"
        )


def _run(
    db: Path | None,
    job: Callable[[NewsService], Awaitable[T]],
    *,
    needs_articles: bool = False,
    repair: bool = True,
) -> T:
    """Open the service, run `job`, close; user errors become one line and exit code 1.

    Ctrl-C and SIGTERM cancel the job (an open transaction rolls back, worker processes are
    stopped) and print one line saying what the database holds; exit code 130 or 143.
    """
    stop = _Interruption()

    def on_sigterm(task: asyncio.Task[T]) -> None:
        stop.signal = "SIGTERM"
        task.cancel()

    async def main() -> T:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, on_sigterm, task)
        async with _service(db, repair=repair) as service:
            stop.path = service.store.path
            stop.before = (await service.store.articles.counts())[0]
            if needs_articles and len(service.index) == 0:
                path = service.store.path
                _fail(f"the database {path} has no articles yet; {plaintext.HOW_TO_LOAD}")
            try:
                return await job(service)
            except asyncio.CancelledError:
                stop.after = (await service.store.articles.counts())[0]
                raise

    try:
        return asyncio.run(main())
    except QueryError as exc:
        _fail(f"cannot search: {exc}")
    except UnknownArticle as exc:
        _fail(f"no article with id {exc.args[0]!r} (see `newsbot articles`)")
    except (StoreError, FeedProblem) as exc:
        _fail(str(exc))
    except (KeyboardInterrupt, asyncio.CancelledError):
        _fail(stop.message(), 143 if stop.signal == "SIGTERM" else 130)
    raise AssertionError("unreachable")


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _json(data: Any) -> str:
    def convert(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.asdict(obj)
        return str(obj)

    # json escapes C0 controls itself; C1 controls and bidi overrides are escaped here, so
    # that a terminal never acts on them (they only occur inside strings, where \u is valid).
    text = json.dumps(data, ensure_ascii=False, default=convert)
    return text.translate(_JSON_UNSAFE)


_JSON_UNSAFE = {
    c: f"\\u{c:04x}" for c in [*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}


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
        _fail(f"--date {date!r}: expected YYYY-MM-DD, e.g. 2025-06-10")
    options = ReadOptions(source=source, date=date, max_pdf_pages=max_pdf_pages)
    bars = Bars()
    progress: Progress = bars
    try:
        report = _run(db, lambda s: s.ingest(paths, progress, options))
    finally:
        bars.close()
    typer.echo(_json(report) if json_out else plaintext.ingest(report))
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
        _fail("give either a QUERY or --queries FILE")
    filters = with_filters("", source or [], since, until)
    if queries is not None:
        lines = [with_filters(line, source or [], since, until) for line in _read_lines(queries)]
        _run(db, lambda s: _search_many(s, lines, k, json_out, sort.value), needs_articles=True)
        return
    assert query is not None
    full = f"{query} {filters}".strip()
    result = _run(db, lambda s: s.search(full, k, sort=sort.value), needs_articles=True)
    typer.echo(_json(_search_json(result)) if json_out else plaintext.search(result))


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
        _fail(f"{path}: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        _fail(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _search_json(result: Any) -> dict[str, Any]:
    return {
        "query": result.query,
        "terms": result.terms,
        "took_ms": round(result.took_ms, 3),
        "sort": result.sort,
        "hits": [dataclasses.asdict(h) for h in result.hits],
    }


async def _search_many(
    service: NewsService, lines: list[str], k: int, json_out: bool, sort: str = "relevance"
) -> None:
    for line in lines:
        try:
            result = await service.search(line, k, sort=sort)
        except QueryError as exc:
            if json_out:
                typer.echo(_json({"query": line, "hits": [], "took_ms": 0.0, "error": str(exc)}))
            else:
                typer.echo(f"== {line}\nerror: {exc}\n")
            continue
        if json_out:
            typer.echo(_json(_search_json(result)))
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
        _fail("give either a QUESTION or --queries FILE")
    if queries is not None:
        lines = _read_lines(queries)
        _run(db, lambda s: _ask_many(s, lines, json_out), needs_articles=True)
        return
    assert question is not None
    result = _run(db, lambda s: s.ask(question), needs_articles=True)
    typer.echo(_json(result) if json_out else plaintext.answer(result))


async def _ask_many(service: NewsService, lines: list[str], json_out: bool) -> None:
    """One answer per line; an unsearchable line is reported in place and the rest go on."""
    for line in lines:
        try:
            result: Answer = await service.ask(line)
        except QueryError as exc:
            if json_out:
                failed = {"question": line, "found": False, "sentence": "", "hits": []}
                typer.echo(_json({**failed, "took_ms": 0.0, "error": str(exc)}))
            else:
                typer.echo(f"== {line}\nerror: {exc}\n")
            continue
        typer.echo(_json(result) if json_out else f"== {line}\n{plaintext.answer(result)}\n")


@app.command()
def summary(
    target: Annotated[str | None, typer.Argument(help="An article id or a topic.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Summary of an article, of the articles on a topic, or (no argument) of the latest news."""
    result = _run(db, lambda s: s.summarize(target))
    typer.echo(_json(result) if json_out else plaintext.summary(result))


@app.command()
def articles(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 20,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Recent articles with their ids."""
    rows = _run(db, lambda s: s.articles(limit))
    typer.echo(_json(rows) if json_out else plaintext.articles(rows))


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """One whole article, paragraph by paragraph."""
    result = _run(db, lambda s: s.article(article_id))
    typer.echo(_json(result) if json_out else plaintext.article(result))


@app.command()
def reindex(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Also (re)load these; default: the configured data folders."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Reload the data folders and rebuild the index (answers keep working meanwhile)."""
    sources = paths or _settings().existing_data_dirs()
    bars = Bars()
    try:
        report = _run(db, lambda s: s.reindex(sources, bars))
    finally:
        bars.close()
    typer.echo(plaintext.reindex(report))
    if report.ingest.failed:
        raise typer.Exit(1)


@app.command()
def stats(db: DbOption = None, json_out: JsonOption = False) -> None:
    """What is loaded, and how questions are being answered today."""
    result = _run(db, lambda s: s.stats())
    typer.echo(_json(result) if json_out else plaintext.stats(result))


@app.command()
def sources(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Each publication with its article count and newest date."""
    rows = _run(db, lambda s: s.sources())
    typer.echo(_json(rows) if json_out else plaintext.sources(rows))


@app.command()
def chat(db: DbOption = None) -> None:
    """An interactive session taking the bot's inputs: questions, /search, /summary, …"""
    _run(db, chat_loop)


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
    feed = _run(db, lambda s: s.add_feed(url, minutes))
    typer.echo(f"added feed {feed.id}: {feed.url} every {feed.interval_minutes} min")


@feeds_app.command("list")
def feeds_list(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Every feed with its interval, health, items added and last error."""
    rows = _run(db, lambda s: s.feeds())
    typer.echo(_json(rows) if json_out else plaintext.feeds(rows))


@feeds_app.command("remove")
def feeds_remove(
    feed_id: Annotated[int, typer.Argument(metavar="ID", help="Feed id (see `feeds list`).")],
    db: DbOption = None,
) -> None:
    """Stop polling a feed (the articles it brought stay)."""
    if not _run(db, lambda s: s.remove_feed(feed_id)):
        _fail(f"no feed with id {feed_id} (see `newsbot feeds list`)")
    typer.echo(f"removed feed {feed_id}")


@feeds_app.command("poll")
def feeds_poll(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Poll every feed once, due or not; exit code 1 when any feed failed."""
    reports = _run(db, lambda s: s.poll_feeds(due_only=False))
    typer.echo(_json(reports) if json_out else plaintext.feed_poll(reports))
    if any(r.status == "error" for r in reports):
        raise typer.Exit(1)


@app.command()
def run(db: DbOption = None) -> None:
    """Run the Telegram bot (needs TELEGRAM_BOT_TOKEN)."""
    settings = _settings()
    try:
        settings.bot_token()
    except ValueError:
        _fail(
            "TELEGRAM_BOT_TOKEN is not set (in the environment or .env). "
            "Without a token, use `newsbot chat` to talk to the bot in this terminal."
        )
    from bot.app import main as run_bot

    if db is not None:
        settings = settings.model_copy(update={"newsbot_db": db})
    run_bot(settings)


def main() -> None:
    """Entry point of the `newsbot` script."""
    app()


# The maintenance commands (demo, delete, prune, export, doctor, feeds import/export) register
# themselves on `app` and `feeds_app`; imported last, as they use the helpers above.
from bot.cli import maintenance  # noqa: E402, F401
