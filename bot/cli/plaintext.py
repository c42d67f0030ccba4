"""Plain-text rendering of service results for the terminal: the CLI twin of `bot.render`.

Used by every `newsbot` command and by `newsbot chat`; lines are wrapped by terminal columns,
since a Chinese character takes two.
"""

from __future__ import annotations

import re
import unicodedata

from retrieval import (
    Answer,
    Article,
    ArticleRow,
    FeedPollReport,
    FeedRow,
    Hit,
    IngestReport,
    ReindexReport,
    SearchResult,
    SourceRow,
    Stats,
    Summary,
)

_WIDTH = 78


def source_line(title: str, date: str, source: str, url: str = "") -> str:
    """「title · date · source」 with empty parts left out (and the url, when there is one)."""
    parts = [p for p in (title, date[:10], source) if p]
    line = " · ".join(parts)
    return f"{line}  {url}" if url else line


def display_width(text: str) -> int:
    """Terminal columns `text` occupies: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int = _WIDTH, indent: str = "") -> list[str]:
    """Lines of at most `width` terminal columns.

    `textwrap` counts code points, so Chinese lines come out twice as wide as asked; and it
    only breaks at spaces, which Chinese text does not have. Here any character boundary is a
    break point, and Latin words are kept whole where they fit.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = indent, display_width(indent)
        for token in re.findall(r"[A-Za-z0-9_.,:;!?%'\-]+ ?|.", paragraph):
            w = display_width(token)
            if used + w > width and line.strip():
                lines.append(line.rstrip())
                line, used = indent, display_width(indent)
                token = token.lstrip()
                w = display_width(token)
            line += token
            used += w
        lines.append(line.rstrip())
    return lines


def _wrap(text: str, indent: str = "   ") -> str:
    return "\n".join(wrap(text, _WIDTH, indent))


def hit(h: Hit) -> str:
    """One ranked passage with its source."""
    head = f"{h.rank:>2}. [{h.score:.2f}] {source_line(h.title, h.date, h.source, h.url)}"
    body = _wrap(h.text)
    return f"{head}\n{body}\n   (article {h.article_id}, paragraph {h.paragraph + 1})"


def search(result: SearchResult) -> str:
    """Search results, or a clear line when nothing matched."""
    if not result.hits:
        return f"No passages match 「{result.query}」. Try fewer or different words."
    lines = [hit(h) for h in result.hits]
    lines.append(f"({len(result.hits)} passages, {result.took_ms:.1f} ms)")
    return "\n\n".join(lines)


def answer(ans: Answer) -> str:
    """The answer sentence, then its supporting passages (or the news of a time)."""
    if ans.window is not None:
        return news_of_time(ans)
    if not ans.found:
        text = (
            f"I found nothing in the loaded news that answers 「{ans.question}」.\n"
            "Try `newsbot search` with fewer words."
        )
        if ans.hits:
            text += "\n\nClosest passages:\n\n" + "\n\n".join(hit(h) for h in ans.hits)
        return text
    head = f"Answer: {ans.sentence}"
    src = ans.hits[0] if ans.hits else None
    if src:
        head += f"\n        — {source_line(src.title, src.date, src.source, src.url)}"
    return head + "\n\nSupporting passages:\n\n" + "\n\n".join(hit(h) for h in ans.hits)


def news_of_time(ans: Answer) -> str:
    """The news of the time a question named, newest first, or that there is none."""
    assert ans.window is not None
    span = f"{ans.window.since} .. {ans.window.until}"
    if not ans.hits:
        return f"The loaded news has nothing from {ans.window.label} ({span})."
    head = f"News from {ans.window.label} ({span}), newest first:"
    return head + "\n\n" + "\n\n".join(hit(h) for h in ans.hits)


def sources(rows: list[SourceRow]) -> str:
    """One line per publication: articles and newest date."""
    if not rows:
        return "The database has no articles yet. Load some with `newsbot ingest PATH`."
    width = max(display_width(r.name or "-") for r in rows)
    lines = []
    for r in rows:
        name = r.name or "-"
        pad = " " * (width - display_width(name))
        lines.append(f"{name}{pad}  {r.articles:>7} articles  newest {r.newest[:10] or '-'}")
    return "\n".join(lines)


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


def articles(rows: list[ArticleRow]) -> str:
    """One line per article: id, date, title, source."""
    if not rows:
        return "The database has no articles yet. Load some with `newsbot ingest PATH`."
    return "\n".join(f"{r.id:<28} {r.date[:10]:<10}  {r.title}  ({r.source})" for r in rows)


def article(a: Article) -> str:
    """The whole article: headline parts, byline, source, paragraphs with section headings."""
    lines = []
    if a.kicker:
        lines.append(a.kicker)
    lines.append(f"# {a.title}")
    if a.subtitle:
        lines.append(a.subtitle)
    meta = " · ".join(x for x in (a.author, a.date, a.source, a.url) if x)
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


def ingest(report: IngestReport) -> str:
    """Per-file problems, then the closing counts line."""
    lines = [f"error: {e}" for e in report.errors]
    lines.append(
        f"{report.added} added, {report.unchanged} unchanged, {report.replaced} replaced, "
        f"{report.failed} failed ({report.files} files, {report.passages} new passages, "
        f"{report.seconds:.1f} s)"
    )
    return "\n".join(lines)


def reindex(report: ReindexReport) -> str:
    """What the rebuild did."""
    head = ingest(report.ingest) + "\n" if report.ingest.files else ""
    return (
        f"{head}index rebuilt: {report.articles} articles, {report.passages} passages "
        f"in {report.seconds:.1f} s"
    )


def stats(s: Stats) -> str:
    """Counts, sources and today's questions."""
    lines = [
        f"articles: {s.articles}",
        f"passages: {s.passages}",
        f"index terms: {s.terms}",
        f"latest date: {s.latest_date or '-'}",
        f"database: {s.db_bytes / 1e6:.1f} MB",
        f"questions today: {s.questions_today} ({s.found_today} answered), "
        f"p50 {s.p50_ms:.1f} ms, p95 {s.p95_ms:.1f} ms",
        "sources:",
    ]
    lines += [
        f"  {name or '-'}: {n} articles, latest {latest[:10] or '-'}"
        for name, n, latest in s.sources[:15]
    ]
    return "\n".join(lines)


def feeds(rows: list[FeedRow]) -> str:
    """One line per feed: id, interval, health, then the URL; the last error indented below."""
    if not rows:
        return "No feeds yet. Add one with `newsbot feeds add URL`."
    lines = []
    for f in rows:
        health = f"{f.failures} failures" if f.failures else "ok"
        polled = f.last_polled[:16].replace("T", " ") or "never"
        lines.append(
            f"{f.id:>4}  every {f.interval_minutes} min  {health:<12} polled {polled}  "
            f"{f.items_added} items  {f.url}"
        )
        if f.last_error:
            lines.append(f"      last error: {f.last_error}")
    return "\n".join(lines)


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
