"""How every `newsbot` command runs: the typer apps and their shared options, opening the
service from the bot's settings, and turning user errors and interruptions into one line.

Each command module (`commands`, `feeds`, `maintenance`) registers on `app` or `feeds_app`
and runs its work through `with_service`, so that every command fails, and stops on Ctrl-C
or SIGTERM, the same way; `as_json` is the one JSON writer behind every `--json` flag.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from bot import local_time
from bot.cli import plaintext
from bot.config import Settings, SettingsError, load_settings, open_news_service
from retrieval import FeedProblem, NewsService, QueryError, StoreError, UnknownArticle

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


def cli_settings() -> Settings:
    """The validated settings; a bad variable is one line each, and exit code 1."""
    try:
        return load_settings()
    except SettingsError as exc:
        for line in str(exc).splitlines():
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(1) from None


@asynccontextmanager
async def _service(db: Path | None, *, repair: bool = True) -> AsyncIterator[NewsService]:
    settings = cli_settings()
    if db is not None:
        settings = settings.replace(newsbot_db=db)
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


def with_service(
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

    def on_signal(task: asyncio.Task[T], number: signal.Signals, name: str) -> None:
        stop.signal = name
        task.cancel()
        # A second signal of the kind acts at once (Ctrl-C raises KeyboardInterrupt), for a
        # user who will not wait for the cleanup.
        asyncio.get_running_loop().remove_signal_handler(number)

    async def main() -> T:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        # Both through the loop, not Ctrl-C through `asyncio.run`'s own handler: that one is
        # only installed while Python's default handler is in place, and a signal landing on
        # another thread reaches the loop only through its wake-up descriptor.
        for number, name in ((signal.SIGINT, "Ctrl-C"), (signal.SIGTERM, "SIGTERM")):
            loop.add_signal_handler(number, on_signal, task, number, name)
        async with _service(db, repair=repair) as service:
            stop.path = service.store.path
            stop.before = (await service.store.articles.counts())[0]
            if needs_articles and len(service.index) == 0:
                path = service.store.path
                fail(f"the database {path} has no articles yet; {plaintext.HOW_TO_LOAD}")
            try:
                return await job(service)
            except asyncio.CancelledError:
                stop.after = (await service.store.articles.counts())[0]
                raise

    try:
        return asyncio.run(main())
    except QueryError as exc:
        fail(f"cannot search: {exc}")
    except UnknownArticle as exc:
        fail(f"no article with id {exc.args[0]!r} (see `newsbot articles`)")
    except (StoreError, FeedProblem) as exc:
        fail(str(exc))
    except (KeyboardInterrupt, asyncio.CancelledError):
        fail(stop.message(), 143 if stop.signal == "SIGTERM" else 130)
    raise AssertionError("unreachable")


def fail(message: str, code: int = 1) -> NoReturn:
    """`error: message` on stderr, and exit with `code`."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def as_json(data: Any) -> str:
    """`data` (dataclasses included) as one line of JSON, safe to print on a terminal."""
    # json escapes C0 controls itself; C1 controls and bidi overrides are escaped here, so
    # that a terminal never acts on them (they only occur inside strings, where \u is valid).
    # A regex finds the rare such character faster than str.translate walks every one.
    text = json.dumps(_plain(data), ensure_ascii=False, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _plain(obj: Any) -> Any:
    """Dataclasses as dicts, recursively. `dataclasses.asdict` deep-copies every value,
    which costs more than the search behind a `--json` line; these records hold only
    strings, numbers and lists, so plain recursion is enough."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [_plain(item) for item in obj]
    if isinstance(obj, dict):
        return {key: _plain(value) for key, value in obj.items()}
    return obj


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
