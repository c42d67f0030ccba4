"""Help, listings (articles, sources) and the admin reports (ingest, reindex, stats) as
Telegram HTML: what the bot knows and what it did, the chat twin of the CLI's reports."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot import local_time, texts
from bot.markup import esc, link
from bot.render import Rendered
from retrieval import (
    ArticleRow,
    Examples,
    IngestReport,
    ReindexReport,
    SourceRow,
    Stats,
)

MAX_LISTED_ERRORS = 20


def help_text(stats: Stats, examples: Examples, bot_username: str) -> Rendered:
    """What the bot knows (counts, sources, latest date), how to ask, and examples."""
    blocks = [texts.HELP_INTRO]
    if stats.articles:
        names = [name for name, _, _ in sorted(stats.sources, key=lambda s: -s[1]) if name]
        shown = "、".join(esc(n) for n in names[:5]) or texts.MISSING
        if len(names) > 5:
            shown += texts.HELP_SOURCES_MORE.format(n=len(names))
        known = texts.HELP_KNOWLEDGE.format(
            articles=stats.articles, passages=stats.passages, sources=shown
        )
        if stats.latest_date:
            known += texts.HELP_LATEST.format(date=esc(local_time.show(stats.latest_date)))
        blocks.append(known)
    else:
        blocks.append(texts.HELP_EMPTY)
    blocks.append(texts.HELP_USAGE.format(bot=esc(bot_username)))
    lines = [texts.HELP_EXAMPLE_QUESTION.format(question=esc(q)) for q in examples.questions]
    if examples.search_words:
        lines.append(texts.HELP_EXAMPLE_SEARCH.format(words=esc(examples.search_words)))
    if examples.article_id:
        lines.append(texts.HELP_EXAMPLE_SUMMARY.format(article_id=esc(examples.article_id)))
    if lines:
        blocks.append("\n".join([texts.HELP_EXAMPLES, *lines]))
    return "\n\n".join(blocks), None


def ingest_report(report: IngestReport) -> Rendered:
    """Per-file problems (file name and line), then the counts, like `newsbot ingest`."""
    lines = []
    for error in report.errors[:MAX_LISTED_ERRORS]:
        where = Path(error.path).name or error.path
        if error.line is not None:
            where = f"{where}:{error.line}"
        lines.append(texts.INGEST_ERROR.format(where=esc(where), reason=esc(error.reason)))
    if len(report.errors) > MAX_LISTED_ERRORS:
        lines.append(texts.INGEST_MORE_ERRORS.format(n=len(report.errors) - MAX_LISTED_ERRORS))
    lines.append(
        texts.INGEST_COUNTS.format(
            added=report.added,
            unchanged=report.unchanged,
            replaced=report.replaced,
            failed=report.failed,
            files=report.files,
            passages=report.passages,
            seconds=report.seconds,
        )
    )
    return "\n".join(lines), None


def reindex_report(report: ReindexReport, loaded_dirs: bool = True) -> Rendered:
    """What the rebuild did: the ingest of the data folders, then the new counts and time."""
    blocks = []
    if report.ingest.files:
        blocks.append(ingest_report(report.ingest)[0])
    done = texts.REINDEX_DONE.format(
        articles=report.articles, passages=report.passages, seconds=report.seconds
    )
    if not loaded_dirs:
        done += "\n" + texts.REINDEX_NO_DIRS
    blocks.append(done)
    return "\n\n".join(blocks), None


def stats(s: Stats) -> Rendered:
    """Counts, sources, and today's questions and latency."""
    text = texts.STATS.format(
        articles=s.articles,
        passages=s.passages,
        terms=s.terms,
        latest=esc(local_time.show(s.latest_date)) or texts.MISSING,
        mb=s.db_bytes / 1e6,
        questions=s.questions_today,
        found=s.found_today,
        p50=s.p50_ms,
        p95=s.p95_ms,
    )
    if s.sources:
        lines = [texts.STATS_SOURCES]
        lines += [
            texts.STATS_SOURCE.format(
                name=esc(name) or texts.MISSING,
                n=n,
                latest=esc(local_time.show(latest)) or texts.MISSING,
            )
            for name, n, latest in s.sources[:15]
        ]
        text += "\n\n" + "\n".join(lines)
    return text, None


def articles(rows: Sequence[ArticleRow]) -> Rendered:
    """One line per article: id, date, title, source."""
    if not rows:
        return texts.ARTICLES_EMPTY, None
    lines = [texts.ARTICLES_HEAD, ""]
    for row in rows:
        parts = [f"<code>{esc(row.id)}</code>"]
        if row.date:
            parts.append(esc(local_time.show(row.date)))
        parts.append(link(row.title or texts.UNTITLED, row.url))
        if row.source:
            parts.append(f"（{esc(row.source)}）")
        lines.append(" ".join(parts))
    return "\n".join(lines), None


def sources(rows: Sequence[SourceRow]) -> Rendered:
    """Each publication with its article count and newest date."""
    if not rows:
        return texts.SOURCES_EMPTY, None
    lines = [texts.SOURCES_HEAD]
    lines += [
        texts.SOURCE_LINE.format(
            name=esc(r.name) or texts.MISSING,
            n=r.articles,
            newest=esc(r.newest[:10]) or texts.MISSING,
        )
        for r in rows
    ]
    return "\n".join(lines), None
