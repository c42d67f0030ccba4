"""`newsbot chat`: the bot's conversation in a terminal, on the same service.

A line is a question unless it starts with ``/``; the commands are the bot's own (same names,
same arguments, checked by the tests against the bot's command menu), answered
with terminal text instead of Telegram HTML.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import typer

from bot.cli import plaintext
from retrieval import NewsService, QueryError, UnknownArticle

#: Passages shown by /search (the bot shows this many per page).
SEARCH_RESULTS = 5
#: Articles listed by /articles (as in the bot).
RECENT_ARTICLES = 20


@dataclass(frozen=True)
class ChatCommand:
    """A bot command the chat understands: how to call it, and what it does."""

    name: str
    usage: str
    description: str
    run: Callable[[NewsService, str], Awaitable[str]]


async def _search(service: NewsService, words: str) -> str:
    return plaintext.search(await service.search(words, SEARCH_RESULTS))


async def _summary(service: NewsService, target: str) -> str:
    return plaintext.summary(await service.summarize(target or None))


async def _articles(service: NewsService, _: str) -> str:
    return plaintext.articles(await service.articles(RECENT_ARTICLES))


async def _article(service: NewsService, article_id: str) -> str:
    return plaintext.article(await service.article(article_id.strip()))


async def _sources(service: NewsService, _: str) -> str:
    return plaintext.sources(await service.sources())


async def _stats(service: NewsService, _: str) -> str:
    return plaintext.stats(await service.stats())


COMMANDS: tuple[ChatCommand, ...] = (
    ChatCommand("search", "/search WORDS", "ranked passages", _search),
    ChatCommand("summary", "/summary [ID|TOPIC]", "summaries (no argument: latest news)", _summary),
    ChatCommand("articles", "/articles", "recent articles", _articles),
    ChatCommand("article", "/article ID", "one article", _article),
    ChatCommand("sources", "/sources", "publications, article counts", _sources),
    ChatCommand("stats", "/stats", "what is loaded", _stats),
)
_BY_NAME = {c.name: c for c in COMMANDS}
HELP_COMMANDS = ("help", "start")
QUIT_COMMANDS = ("quit", "exit")


def help_text() -> str:
    """What to type: a question, or one of the commands."""
    lines = ["Type a question, or:"]
    lines += [f"  {c.usage:<21}{c.description}" for c in COMMANDS]
    lines.append(f"  {'/quit':<21}leave")
    return "\n".join(lines)


async def respond(service: NewsService, line: str) -> str | None:
    """The reply to one input line, or None when the line ends the session."""
    command, _, argument = line.partition(" ")
    name = command[1:] if command.startswith("/") else None
    try:
        if name is None:
            return plaintext.answer(await service.ask(line))
        if name in QUIT_COMMANDS:
            return None
        if name in HELP_COMMANDS:
            return help_text()
        if name in _BY_NAME:
            return await _BY_NAME[name].run(service, argument)
        return f"unknown command {command}. {help_text()}"
    except QueryError as exc:
        return f"cannot search: {exc}"
    except UnknownArticle as exc:
        return f"no article with id {exc.args[0]!r}"


async def chat_loop(service: NewsService) -> None:
    """Read lines until /quit or end of input, printing each reply."""
    stats = await service.stats()
    typer.echo(f"newsbot: {stats.articles} articles loaded. {help_text()}")
    if not stats.articles:
        typer.echo(f"The database is empty: {plaintext.HOW_TO_LOAD}.")
    await service.prepare_for_many_questions()
    while True:
        try:
            line = await asyncio.to_thread(input, "> ")
        except EOFError:
            typer.echo("")
            return
        line = line.strip()
        if not line:
            continue
        reply = await respond(service, line)
        if reply is None:
            return
        typer.echo(reply)
