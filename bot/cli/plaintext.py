"""Plain-text rendering of service results for the terminal: the CLI twin of `bot.render`.

Used by every `newsbot` command and by `newsbot chat`; lines are wrapped by terminal columns
with the Chinese line-breaking rules (`bot.cli.linebreak`). Every renderer's output passes
through `for_terminal`: text from articles and feeds is cleaned when stored, but a database
written by an older version (or by hand) must not be able to send escape sequences to the
operator's terminal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

from bot import local_time, texts
from bot.cli import linebreak
from bot.missing import missing_lines
from retrieval import (
    Answer,
    Article,
    ArticleRow,
    FeedImportReport,
    FeedPollReport,
    FeedRow,
    Hit,
    IngestReport,
    ReindexReport,
    SearchResult,
    SourceRow,
    Stats,
    Summary,
    strip_controls,
)

_WIDTH = 78
P = ParamSpec("P")


def for_terminal(render: Callable[P, str]) -> Callable[P, str]:
    """`render` with control characters (ESC sequences, C1 controls) removed from its output."""

    @functools.wraps(render)
    def safe(*args: P.args, **kwargs: P.kwargs) -> str:
        return strip_controls(render(*args, **kwargs))

    return safe


#: What an empty database tells the operator to do.
HOW_TO_LOAD = (
    "load news with `newsbot ingest PATH`, `newsbot feeds add URL`, "
    "or try the demo page with `newsbot demo`"
)


def source_line(title: str, date: str, source: str, url: str = "", page: str = "") -> str:
    """「title · date · source · 第N版」 with empty parts left out (and the url, if any)."""
    edition = texts.PRINTED_PAGE.format(page=page) if page else ""
    parts = [p for p in (title, local_time.show(date), source, edition) if p]
    line = " · ".join(parts)
    return f"{line}  {url}" if url else line


def wrap(text: str, width: int = _WIDTH, indent: str = "") -> list[str]:
    """Lines of at most `width` terminal columns, broken by the Chinese rules (`linebreak`)."""
    return linebreak.wrap(text, width, indent)


def _wrap(text: str, indent: str = "   ") -> str:
    return "\n".join(wrap(text, _WIDTH, indent))


@for_terminal
def hit(h: Hit) -> str:
    """One ranked passage with its source."""
    head = f"{h.rank:>2}. [{h.score:.2f}] {source_line(h.title, h.date, h.source, h.url, h.page)}"
    body = _wrap(h.text)
    return f"{head}\n{body}\n   (article {h.article_id}, paragraph {h.paragraph + 1})"


@for_terminal
def search(result: SearchResult) -> str:
    """Search results, or a clear line when nothing matched."""
    if not result.hits:
        return f"No passages match 「{result.query}」. Try fewer or different words."
    lines = [hit(h) for h in result.hits]
    lines.append(f"({len(result.hits)} passages, {result.took_ms:.1f} ms)")
    return "\n\n".join(lines)


@for_terminal
def answer(ans: Answer) -> str:
    """The answer sentence, then its supporting passages (or the news of a time), in the
    chat's Chinese words (`bot.texts`), with `newsbot` commands where the chat has its own."""
    if ans.window is not None:
        return news_of_time(ans)
    if not ans.found:
        if ans.kind == "chitchat":
            return texts.CLI_CHITCHAT
        if ans.kind == "offtopic":
            return texts.OFFTOPIC
        passages = "\n\n".join(hit(h) for h in ans.hits)
        if ans.kind == "search" and not ans.hits:
            return texts.SEARCH_NONE.format(query=ans.question)
        if ans.kind == "search":
            return texts.KEYWORD_RESULTS.format(query=ans.question) + "\n\n" + passages
        text = "\n".join([
            texts.CLI_NOT_FOUND.format(question=ans.question, words=ans.suggestion or ans.question),
            *missing_lines(ans.missing, str),
        ])
        if ans.hits:
            text += f"\n\n{texts.CLI_RELATED}\n\n{passages}"
        return text
    head = texts.CLI_ANSWER.format(sentence=ans.sentence)
    src = ans.hits[0] if ans.hits else None
    if src:
        head += f"\n        — {source_line(src.title, src.date, src.source, src.url, src.page)}"
    if ans.tentative:
        head += "\n" + texts.ANSWER_TENTATIVE
    return f"{head}\n\n{texts.CLI_PASSAGES}\n\n" + "\n\n".join(hit(h) for h in ans.hits)


@for_terminal
def news_of_time(ans: Answer) -> str:
    """The news of the time a question named, newest first, or that there is none."""
    assert ans.window is not None
    window = ans.window
    span = {"label": window.label, "since": window.since, "until": window.until}
    if not ans.hits:
        return texts.CLI_TIME_NONE.format(**span)
    return texts.CLI_TIME_HEAD.format(**span) + "\n\n" + "\n\n".join(hit(h) for h in ans.hits)


@for_terminal
def sources(rows: list[SourceRow]) -> str:
    """One line per publication: articles and newest date."""
    if not rows:
        return f"The database has no articles yet; {HOW_TO_LOAD}."
    width = max(linebreak.display_width(r.name or "-") for r in rows)
    lines = []
    for r in rows:
        name = r.name or "-"
        pad = " " * (width - linebreak.display_width(name))
        lines.append(f"{name}{pad}  {r.articles:>7} articles  newest {r.newest[:10] or '-'}")
    return "\n".join(lines)


@for_terminal
def summary(s: Summary) -> str:
    """Each summarized article: title line, then its sentences."""
    if not s.items:
        if s.kind == "digest":
            return "Nothing to summarize."
        return f"No articles match 「{s.query}」."
    blocks = []
    for item in s.items:
        head = f"■ {source_line(item.title, item.date, item.source, item.url)}  [{item.article_id}]"
        blocks.append(head + "\n" + "\n".join(_wrap(x) for x in item.sentences))
    return "\n\n".join(blocks)


@for_terminal
def articles(rows: list[ArticleRow]) -> str:
    """One line per article: id, date, title, source."""
    if not rows:
        return f"The database has no articles yet; {HOW_TO_LOAD}."
    return "\n".join(
        f"{r.id:<28} {local_time.show(r.date):<10}  {r.title}  ({r.source})" for r in rows
    )


@for_terminal
def article(a: Article) -> str:
    """The whole article: headline parts, byline, source, paragraphs with section headings."""
    lines = []
    if a.kicker:
        lines.append(a.kicker)
    lines.append(f"# {a.title}")
    if a.subtitle:
        lines.append(a.subtitle)
    meta = " · ".join(x for x in (a.author, local_time.show(a.date), a.source, a.url) if x)
    if meta:
        lines.append(meta)
    heading = ""
    for p in a.paragraphs:
        if p.heading and p.heading != heading:
            lines.append(f"\n## {p.heading}")
            heading = p.heading
        lines.append("")
        lines.extend(wrap(p.text))
    return "\n".join(lines)


@for_terminal
def ingest(report: IngestReport) -> str:
    """Per-file problems, then the closing counts line."""
    lines = [f"warning: {w}" for w in report.warnings]
    lines += [f"error: {e}" for e in report.errors]
    lines.append(
        f"{report.added} added, {report.unchanged} unchanged, {report.replaced} replaced, "
        f"{report.failed} failed ({report.files} files, {report.passages} new passages, "
        f"{report.seconds:.1f} s)"
    )
    return "\n".join(lines)


@for_terminal
def reindex(report: ReindexReport) -> str:
    """What the rebuild did."""
    head = ingest(report.ingest) + "\n" if report.ingest.files else ""
    return (
        f"{head}index rebuilt: {report.articles} articles, {report.passages} passages "
        f"in {report.seconds:.1f} s"
    )


@for_terminal
def stats(s: Stats) -> str:
    """Counts, sources and today's questions."""
    lines = [
        f"articles: {s.articles}",
        f"passages: {s.passages}",
        f"index terms: {s.terms}",
        f"latest date: {local_time.show(s.latest_date) or '-'}",
        f"database: {s.db_bytes / 1e6:.1f} MB",
        f"questions today: {s.questions_today} ({s.found_today} answered), "
        f"p50 {s.p50_ms:.1f} ms, p95 {s.p95_ms:.1f} ms",
        "sources:",
    ]
    lines += [
        f"  {name or '-'}: {n} articles, latest {local_time.show(latest) or '-'}"
        for name, n, latest in s.sources[:15]
    ]
    return "\n".join(lines)


@for_terminal
def feeds(rows: list[FeedRow]) -> str:
    """One line per feed: id, interval, health, then the URL; the last error indented below."""
    if not rows:
        return "No feeds yet. Add one with `newsbot feeds add URL`."
    lines = []
    for f in rows:
        health = f"{f.failures} failures" if f.failures else "ok"
        polled = local_time.show(f.last_polled, always_time=True) or "never"
        lines.append(
            f"{f.id:>4}  every {f.interval_minutes} min  {health:<12} polled {polled}  "
            f"{f.items_added} items  {f.url}"
        )
        if f.last_error:
            lines.append(f"      last error: {f.last_error}")
    return "\n".join(lines)


@for_terminal
def feed_poll(reports: list[FeedPollReport]) -> str:
    """One line per polled feed: status, items added/replaced, error."""
    if not reports:
        return "No feeds to poll. Add one with `newsbot feeds add URL`."
    lines = []
    for r in reports:
        line = f"{r.feed_id:>4}  {r.status:<12} {r.added} added, {r.replaced} replaced  {r.url}"
        if r.error:
            line += f"\n      error: {r.error}"
        lines.append(line)
    return "\n".join(lines)


def feed_import(report: FeedImportReport) -> str:
    """One line per feed added or refused, then the counts."""
    lines = [f"{f.id:>4}  every {f.interval_minutes} min  {f.url}" for f in report.added]
    lines += [f"error: {reason}" for reason in report.refused]
    lines.append(
        f"{len(report.added)} feeds added, {len(report.existing)} already polled, "
        f"{len(report.refused)} refused"
    )
    return "\n".join(lines)
