"""Articles, their paragraphs and passages: reads, and the writes that must commit together.

An article's text is stored once, as its body (paragraphs joined by newlines); paragraphs and
passages are character spans into it, sliced with `substr`, so the database stays well under
three times the size of the text it holds. The segment registering an ingest's passages
commits in the same transaction as its articles (`Transaction.segments`), so an ingest lands
as a whole or not at all: a failure half-way (bad input, crash, Ctrl-C) rolls back to the
previous consistent state.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence

import aiosqlite

from retrieval.records import Article, ArticleRow, NewPassage, Paragraph, PassageRow
from retrieval.store.connection import Database, utcnow
from retrieval.store.segments import SegmentWrites


class ArticleTables:
    """Reads of `articles`, `paragraphs`, `passages` and `meta`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def content_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        """`{article id: content hash}` for the given ids that are stored."""
        out: dict[str, str] = {}
        id_list = list(ids)
        for i in range(0, len(id_list), 500):
            chunk = id_list[i : i + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, content_hash FROM articles WHERE id IN ({marks})"
            async with self._db.reader.execute(sql, chunk) as cur:
                out.update({str(r[0]): str(r[1]) async for r in cur})
        return out

    async def passage_ids(self) -> list[int]:
        """Ids of every stored passage."""
        async with self._db.reader.execute("SELECT id FROM passages") as cur:
            return [int(r[0]) async for r in cur]

    async def passage_owners(self) -> list[tuple[int, str]]:
        """`(passage id, article id)` of every stored passage."""
        async with self._db.reader.execute("SELECT id, article_id FROM passages") as cur:
            return [(int(r[0]), str(r[1])) async for r in cur]

    async def ids(self) -> list[str]:
        """Every stored article id."""
        async with self._db.reader.execute("SELECT id FROM articles") as cur:
            return [str(r[0]) async for r in cur]

    async def passages(self, ids: Sequence[int]) -> dict[int, PassageRow]:
        """Passages by id, with their article facts; `heading` is left empty (`headings`).

        The candidates of a search are read here, and only the few shown need their
        paragraph's heading: joining the paragraphs for all of them costs a search more
        than a second read for the page.
        """
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = f"""
            SELECT p.id, p.article_id, p.paragraph,
                   substr(a.body, p.start + 1, p.end - p.start),
                   '', a.title, a.date, a.source, a.url, a.page, p.simplified
            FROM passages p
            JOIN articles a ON a.id = p.article_id
            WHERE p.id IN ({marks})"""
        found = await self._db.read(sql, list(ids), quick=True)
        rows = [
            PassageRow(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                       simplified=bool(r[10]))
            for r in found
        ]
        return {r.id: r for r in rows}

    async def headings(self, paragraphs: Sequence[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """`{(article id, paragraph ordinal): heading}` of the given paragraphs that have one."""
        wanted = set(paragraphs)
        articles = list(dict.fromkeys(a for a, _ in paragraphs))
        if not articles:
            return {}
        # By article id alone, so the lookup is a range of the (article_id, ordinal) index
        # (SQLite scans the table for a row-value IN); an article has few headed paragraphs.
        marks = ",".join("?" * len(articles))
        sql = f"""
            SELECT article_id, ordinal, heading FROM paragraphs
            WHERE article_id IN ({marks}) AND heading != ''"""
        found = await self._db.read(sql, articles, quick=True)
        return {
            key: str(r[2]) for r in found if (key := (str(r[0]), int(r[1]))) in wanted
        }

    async def all_passages(self) -> AsyncIterator[tuple[int, str]]:
        """Every stored passage as `(id, text)`, in id order (for re-tokenizing)."""
        sql = """
            SELECT p.id, substr(a.body, p.start + 1, p.end - p.start)
            FROM passages p
            JOIN articles a ON a.id = p.article_id
            ORDER BY p.id"""
        async with self._db.reader.execute(sql) as cur:
            async for row in cur:
                yield int(row[0]), str(row[1])

    async def unmarked_passages(self) -> AsyncIterator[tuple[int, str]]:
        """`(id, text)` of the passages not marked `simplified`, in id order: those whose
        script folding converts, and those stored before the mark existed."""
        sql = """
            SELECT p.id, substr(a.body, p.start + 1, p.end - p.start)
            FROM passages p
            JOIN articles a ON a.id = p.article_id
            WHERE p.simplified = 0
            ORDER BY p.id"""
        async with self._db.reader.execute(sql) as cur:
            async for row in cur:
                yield int(row[0]), str(row[1])

    async def headed_bodies(self, article_ids: Sequence[str]) -> dict[str, str]:
        """`{id: title + newline + body}` of the given articles that exist, in one read: the
        whole text a fact may be checked against."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = f"SELECT id, title, body FROM articles WHERE id IN ({marks})"
        found = await self._db.read(sql, ids, quick=True)
        return {str(r[0]): f"{r[1]}\n{r[2]}" for r in found}

    async def article(self, article_id: str) -> Article | None:
        """The whole article, or None."""
        sql = """SELECT id, title, kicker, subtitle, author, date, source, url, body,
                        page, region, caption
                 FROM articles WHERE id = ?"""
        found = await self._db.read(sql, (article_id,))
        if not found:
            return None
        row = found[0]
        body = str(row[8])
        sql = "SELECT start, end, heading FROM paragraphs WHERE article_id = ? ORDER BY ordinal"
        paragraphs = [
            Paragraph(body[r[0] : r[1]], str(r[2])) for r in await self._db.read(sql, (article_id,))
        ]
        return Article(
            id=row[0], title=row[1], kicker=row[2], subtitle=row[3], author=row[4],
            date=row[5], source=row[6], url=row[7], paragraphs=paragraphs,
            page=row[9], region=row[10], caption=row[11],
        )

    async def recent(self, limit: int, offset: int = 0) -> list[ArticleRow]:
        """Newest first: by date, then by ingestion order."""
        sql = """
            SELECT a.id, a.title, a.date, a.source, a.url, a.author,
                   (SELECT count(*) FROM paragraphs g WHERE g.article_id = a.id)
            FROM articles a ORDER BY a.date DESC, a.seq DESC LIMIT ? OFFSET ?"""
        async with self._db.reader.execute(sql, (limit, offset)) as cur:
            return [ArticleRow(*r) async for r in cur]

    async def urls_of_source(self, source: str) -> list[tuple[str, str]]:
        """`(id, url)` of the stored articles from `source` that have a url."""
        sql = "SELECT id, url FROM articles WHERE source = ? AND url != ''"
        async with self._db.reader.execute(sql, (source,)) as cur:
            return [(str(r[0]), str(r[1])) async for r in cur]

    async def id_with_body(self, source: str, body: str) -> str | None:
        """The id of a stored article from `source` with exactly this body, if any."""
        sql = "SELECT id FROM articles WHERE source = ? AND body = ? LIMIT 1"
        async with self._db.reader.execute(sql, (source, body)) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None

    async def newest_passages(
        self, since: str = "", until: str = "", limit: int = 10, offset: int = 0
    ) -> list[PassageRow]:
        """The first passage of each article dated `since`..`until` (inclusive ISO days, ""
        = open; with either bound, undated articles are left out), newest article first."""
        where, args = "", []
        if since or until:
            where = "WHERE a.date != '' AND a.date >= ? AND substr(a.date, 1, 10) <= ?"
            args = [since, until or "9999-12-31"]
        sql = f"""
            SELECT p.id, p.article_id, p.paragraph,
                   substr(a.body, p.start + 1, p.end - p.start),
                   coalesce(g.heading, ''), a.title, a.date, a.source, a.url, a.page
            FROM articles a
            JOIN passages p ON p.id = (SELECT min(q.id) FROM passages q WHERE q.article_id = a.id)
            LEFT JOIN paragraphs g ON g.article_id = p.article_id AND g.ordinal = p.paragraph
            {where}
            ORDER BY a.date DESC, a.seq DESC LIMIT ? OFFSET ?"""
        async with self._db.reader.execute(sql, [*args, limit, offset]) as cur:
            return [PassageRow(int(r[0]), *r[1:]) async for r in cur]

    async def newest_date(self) -> str:
        """The date of the newest dated article ("" when none has a date)."""
        rows = await self._db.read("SELECT max(date) FROM articles", quick=True)
        return str(rows[0][0] or "") if rows else ""

    async def counts(self) -> tuple[int, int]:
        """`(articles, passages)` stored."""
        async with self._db.reader.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM passages)"
        ) as cur:
            row = await cur.fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def sources(self) -> list[tuple[str, int, str]]:
        """`(source, articles, latest date)` per source, most articles first."""
        sql = """SELECT source, count(*), max(date) FROM articles
                 GROUP BY source ORDER BY count(*) DESC"""
        async with self._db.reader.execute(sql) as cur:
            return [(str(r[0]), int(r[1]), str(r[2] or "")) async for r in cur]

    # An article's day: its publication date, or the day it was ingested when it has none.
    _DAY = "substr(coalesce(nullif(date, ''), ingested_at), 1, 10)"

    async def ids_dated_before(self, day: str, source: str | None = None) -> list[str]:
        """Ids of the articles whose day (see `_DAY`) is before `day` (YYYY-MM-DD)."""
        sql = f"SELECT id FROM articles WHERE {self._DAY} < ?"
        args: list[str] = [day]
        if source is not None:
            sql += " AND source = ?"
            args.append(source)
        async with self._db.reader.execute(sql, args) as cur:
            return [str(r[0]) async for r in cur]

    async def every_article(self, since: str | None = None) -> AsyncIterator[Article]:
        """Whole articles, oldest first (those whose day is `since` or later, when given).

        Paragraph headings are not part of the result: each paragraph is one line of the body.
        """
        sql = f"""SELECT id, title, kicker, subtitle, author, date, source, url, body,
                         page, region, caption
                  FROM articles WHERE ? IS NULL OR {self._DAY} >= ?
                  ORDER BY {self._DAY}, seq"""
        async with self._db.reader.execute(sql, (since, since)) as cur:
            async for r in cur:
                yield Article(
                    id=r[0], title=r[1], kicker=r[2], subtitle=r[3], author=r[4], date=r[5],
                    source=r[6], url=r[7],
                    paragraphs=[Paragraph(line) for line in str(r[8]).split("\n")],
                    page=r[9], region=r[10], caption=r[11],
                )

    async def meta(self) -> dict[str, str]:
        """All key/value settings recorded with the index."""
        async with self._db.reader.execute("SELECT key, value FROM meta") as cur:
            return {str(r[0]): str(r[1]) async for r in cur}


class Transaction:
    """The writes available inside `Store.transaction()`: articles and the index, together.

    Its reads see the database as this transaction leaves it: an ingest re-checks inside the
    write transaction what another process may have stored since it looked.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self.segments = SegmentWrites(conn)

    async def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """`{article id: content hash}` for the given ids that are stored now."""
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, content_hash FROM articles WHERE id IN ({marks})"
            async with self._conn.execute(sql, chunk) as cur:
                out.update({str(r[0]): str(r[1]) async for r in cur})
        return out

    async def passage_ids_of(self, article_ids: Sequence[str]) -> list[int]:
        """Ids of the passages of the given articles, as stored now."""
        out: list[int] = []
        for i in range(0, len(article_ids), 500):
            chunk = list(article_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id FROM passages WHERE article_id IN ({marks})"
            async with self._conn.execute(sql, chunk) as cur:
                out.extend([int(r[0]) async for r in cur])
        return out

    async def delete_articles(self, ids: Sequence[str]) -> int:
        """Remove articles with their paragraphs and passages; returns how many were stored."""
        removed = 0
        for article_id in dict.fromkeys(ids):
            async with self._conn.execute("DELETE FROM articles WHERE id = ?", (article_id,)) as c:
                removed += max(c.rowcount, 0)
        return removed

    async def insert_articles(
        self, items: Sequence[tuple[Article, str, Sequence[NewPassage]]]
    ) -> list[list[int]]:
        """Store articles (with content hash and passage spans); returns each one's passage ids.

        Ids are assigned here, in bulk, so the whole batch is three `executemany` calls rather
        than one round trip per passage (the corpus has hundreds of thousands).
        """
        async with self._conn.execute(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'passages'), 0),"
            " coalesce((SELECT max(seq) FROM articles), 0)"
        ) as cur:
            row = await cur.fetchone()
        next_passage, next_seq = (int(row[0]) + 1, int(row[1]) + 1) if row else (1, 1)
        now = utcnow()
        article_rows: list[tuple[object, ...]] = []
        paragraph_rows: list[tuple[object, ...]] = []
        passage_rows: list[tuple[object, ...]] = []
        ids: list[list[int]] = []
        for n, (article, content_hash, spans) in enumerate(items):
            article_rows.append((
                article.id, next_seq + n, article.title, article.kicker, article.subtitle,
                article.author, article.date, article.source, article.url, article.text,
                content_hash, now, article.page, article.region, article.caption,
            ))
            start = 0
            for i, para in enumerate(article.paragraphs):
                paragraph_rows.append((article.id, i, para.heading, start, start + len(para.text)))
                start += len(para.text) + 1
            own = list(range(next_passage, next_passage + len(spans)))
            next_passage += len(spans)
            passage_rows.extend(
                (pid, article.id, sp.paragraph, sp.start, sp.end, int(sp.simplified))
                for pid, sp in zip(own, spans, strict=True)
            )
            ids.append(own)
        await self._conn.executemany(
            """INSERT INTO articles (id, seq, title, kicker, subtitle, author, date, source, url,
                                     body, content_hash, ingested_at, page, region, caption)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            article_rows,
        )
        await self._conn.executemany(
            "INSERT INTO paragraphs (article_id, ordinal, heading, start, end)"
            " VALUES (?, ?, ?, ?, ?)",
            paragraph_rows,
        )
        await self._conn.executemany(
            "INSERT INTO passages (id, article_id, paragraph, start, end, simplified)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            passage_rows,
        )
        return ids

    async def mark_simplified(self, passage_ids: Sequence[int]) -> None:
        """Mark these passages as ones whose script folding keeps (`PassageRow.simplified`)."""
        await self._conn.executemany(
            "UPDATE passages SET simplified = 1 WHERE id = ?", [(pid,) for pid in passage_ids]
        )

    async def set_meta(self, values: dict[str, str]) -> None:
        """Record settings the index was built with."""
        await self._conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )
