"""Questions: search, ask, and the shorter search suggested when nothing is found.

A question goes in once and comes back as one record (`SearchResult`, `Answer`) for the front
end to draw. BM25 picks candidates, `retrieval.rank` reorders them and decides "found",
`retrieval.answer` picks the answer sentence and `retrieval.answerability` checks it against
its article; this module only strings those steps together over the live index, and words
what a refused question lacks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
import time
from collections.abc import Callable, Sequence

import numpy as np

from retrieval.allocator import keep_freed_memory
from retrieval.answer import SentenceChoice, rank_sentences, to_check
from retrieval.answerability import missing
from retrieval.article_facts import ABOUT, Support
from retrieval.errors import QueryError
from retrieval.folding import fold
from retrieval.index import Ranked, idf
from retrieval.query_syntax import ParsedQuery, parse_query
from retrieval.question import QuestionAnalysis, analyze
from retrieval.rank import CANDIDATES, answer_coverage, coverage, rerank, term_finder
from retrieval.records import (
    Answer,
    Candidate,
    Hit,
    PassageRow,
    SearchResult,
    TimeWindow,
)
from retrieval.service.state import Shared
from retrieval.time_window import TimeQuestion, time_question

MAX_QUERY_CHARS = 1000
#: Recent questions whose tokens are kept (each at most MAX_QUERY_CHARS long).
_CACHED_QUESTIONS = 512
#: BM25 candidates looked at when filters may drop some (filters are applied after BM25).
FILTERED_CANDIDATES = 1000
#: A quoted phrase held (by its bigrams) by at most this many passages is searched among
#: them alone (`SegmentSet.top_k_holding`); a commoner one among BM25's best candidates.
PHRASE_SCAN = 20_000
#: Up to this many passages BM25 runs on the event loop: a few milliseconds, less than the
#: trip to a worker thread and back when the cores are busy. Over a larger index a query
#: can take tens of milliseconds, and runs on a worker thread so other chats are served
#: meanwhile.
INLINE_SEARCH_PASSAGES = 1_000_000
#: Passages read to tell whether the news names a name the closest story lacks.
_NAME_CHECKS = 20
#: Orders a search can be listed in.
SORTS = ("relevance", "date")
_FILTER_BATCH = 100
_LISTING_BATCH = 200
#: Articles a filters-only listing looks through before giving up on finding more.
_LISTING_SCAN = 5000
#: A found answer whose `confidence` is under this is `tentative`. On the news-dev questions
#: the sentence holds the answer for about 4 in 10 of them, against 2 in 3 above it.
TENTATIVE_CONFIDENCE = 0.4
#: China has no daylight saving time: UTC+8 is Asia/Shanghai all year.
CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


class Questions:
    """Answers questions from the live index; never writes anything but the query log."""

    def __init__(self, shared: Shared) -> None:
        self._shared = shared
        self.store = shared.store
        self.tokenizer = shared.tokenizer
        # A question is tokenized for its search, its weights and its answer check: once.
        self._tokens = functools.lru_cache(maxsize=_CACHED_QUESTIONS)(
            lambda text: tuple(self.tokenizer.tokenize(text))
        )
        self._words = functools.lru_cache(maxsize=_CACHED_QUESTIONS)(
            lambda text: tuple(self.tokenizer.words(text))
        )
        #: Today's date for relative time words (「昨天」); front ends and tests may replace it.
        self.today: Callable[[], dt.date] = lambda: dt.datetime.now(CHINA_TIME).date()

    def query_terms(self, query: str) -> list[str]:
        """Tokens of a query; raises QueryError when nothing searchable is left."""
        if not query.strip():
            raise QueryError("empty query")
        terms = list(self._tokens(query[:MAX_QUERY_CHARS]))
        if not terms:
            raise QueryError(
                "the query has no searchable words (only punctuation, emoji or stopwords)"
            )
        return terms

    async def search(
        self, query: str, k: int = 10, offset: int = 0, sort: str = "relevance"
    ) -> SearchResult:
        """The passages that best match `query`, ranks `offset+1 .. offset+k`.

        `query` may use the search syntax (`retrieval.query_syntax`); raises QueryError (or
        its QuerySyntaxError) when it cannot be searched. BM25 picks the candidates;
        `retrieval.rank.rerank` orders them by how well they cover the question and drops
        reprints of the same story. `sort="date"` lists the same relevant passages newest
        first. A query of filters alone (`source:乐山日报`) lists the newest matching articles.
        """
        return await self.search_parsed(parse_query(query[:MAX_QUERY_CHARS]), k, offset, sort)

    async def search_parsed(
        self, parsed: ParsedQuery, k: int = 10, offset: int = 0, sort: str = "relevance"
    ) -> SearchResult:
        """`search` for an already parsed query."""
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}")
        # A process that answers keeps its freed query scratch (`retrieval.allocator`) and
        # reads the database through a map; one that only ingests does neither.
        keep_freed_memory()
        await self.store.map_for_questions()
        started = time.perf_counter()
        if not parsed.text.strip() and (parsed.sources or parsed.since or parsed.until):
            listed = await self.newest_matching(parsed, offset + k)
            hits = [_hit(i + 1, 0.0, row, []) for i, row in enumerate(listed)][offset:]
            took = (time.perf_counter() - started) * 1000
            return SearchResult(parsed.text, [], hits, took, "date")
        terms = self.query_terms(parsed.text)
        index = await self._shared.fresh_index()
        depth = max(CANDIDATES, offset + k)
        pool = max(depth, FILTERED_CANDIDATES) if parsed.has_filters else depth
        required = [b for p in parsed.phrases for b in self.tokenizer.phrase_bigrams(p)]

        def best() -> list[Ranked]:
            holding = index.top_k_holding(terms, required, pool, PHRASE_SCAN) if required else None
            return index.top_k(terms, pool) if holding is None else holding

        if len(index) <= INLINE_SEARCH_PASSAGES:
            ranked = best()
        else:
            ranked = await asyncio.to_thread(best)
        rows: dict[int, PassageRow] = {}
        candidates: list[Candidate] = []
        # Rows are fetched and filtered in batches, best first, until `depth` pass: the first
        # batch is what an unfiltered search reads, so a filter that keeps nearly everything
        # (a quoted phrase the query's words already rank) costs about nothing extra.
        starts = [0, *range(depth, len(ranked), max(depth, _FILTER_BATCH))]
        for start, end in zip(starts, [*starts[1:], len(ranked)], strict=True):
            batch = ranked[start:end]
            fetched = await self.store.articles.passages([r.key for r in batch])
            rows.update(fetched)
            candidates += [
                Candidate(r.key, r.score, row.text, row.simplified)
                for r in batch
                if (row := fetched.get(r.key)) is not None
                and parsed.keeps(row.text, row.date, row.source)
            ]
            if len(candidates) >= depth:
                break
        candidates = candidates[:depth]
        weights = self.question_weights(terms)
        articles = [rows[c.key].article_id for c in candidates]
        # Cheap enough (no tokenizing: `term_finder`) to run on the loop without a thread hop.
        ordered = rerank(
            candidates, weights, term_finder(weights), articles, question=parsed.text,
            limit=None if sort == "date" else offset + k,  # by date, the page may be any
        )
        if sort == "date":  # stable: equal dates keep their relevance order
            ordered.sort(key=lambda pair: rows[pair[0].key].date, reverse=True)
        page = ordered[offset : offset + k]
        shown = await self._with_headings([rows[cand.key] for cand, _ in page])
        words = self._words(parsed.text)
        hits = [
            _hit(offset + i + 1, score, row, words)
            for i, ((_, score), row) in enumerate(zip(page, shown, strict=True))
        ]
        self._shared.pages.keep_within(index.mapped_arrays)
        took = (time.perf_counter() - started) * 1000
        return SearchResult(parsed.text, terms, hits, took, sort)

    async def _with_headings(self, rows: Sequence[PassageRow]) -> list[PassageRow]:
        """`rows` with their paragraphs' headings, read for these rows alone."""
        headings = await self.store.articles.headings([(r.article_id, r.paragraph) for r in rows])
        return [
            dataclasses.replace(r, heading=h) if (h := headings.get((r.article_id, r.paragraph)))
            else r
            for r in rows
        ]

    async def newest_matching(self, parsed: ParsedQuery, limit: int) -> list[PassageRow]:
        """Lead passages of the newest articles passing `parsed`'s filters (at most `limit`)."""
        out: list[PassageRow] = []
        offset = 0
        while len(out) < limit:
            batch = await self.store.articles.newest_passages(
                parsed.since, parsed.until, _LISTING_BATCH, offset
            )
            out += [r for r in batch if parsed.keeps(r.text, r.date, r.source)]
            if len(batch) < _LISTING_BATCH or offset >= _LISTING_SCAN:
                break
            offset += _LISTING_BATCH
        return out[:limit]

    def question_weights(self, terms: Sequence[str]) -> dict[str, float]:
        """idf of each distinct query term; unseen terms get the highest possible idf."""
        index = self._shared.index
        unique = list(dict.fromkeys(terms))
        df = np.asarray(index.document_frequencies(unique), np.float64)
        return dict(zip(unique, idf(max(len(index), 1), df).tolist(), strict=True))

    async def ask(self, question: str, k: int = 3, *, record: bool = True) -> Answer:
        """The sentence that best answers `question`, with the `k` best supporting passages.

        `record=False` leaves it out of the question statistics (for questions the bot asks
        itself, such as checking its /help examples).
        """
        started = time.perf_counter()
        parsed = parse_query(question[:MAX_QUERY_CHARS], quoted_phrases=False)
        if not parsed.has_filters:
            timed = time_question(question, self.today(), await self._newest_day())
            if timed is not None:
                return await self._news_of_time(question, timed, k, started, record)
        text = parsed.text if parsed.has_filters else question
        asked = analyze(text[:MAX_QUERY_CHARS])
        if asked.kind in ("chitchat", "offtopic"):  # may hold no searchable word (「你是谁」)
            return await self._logged(record, started, Answer(question, False, "", 0.0, [], 0.0,
                                                              kind=asked.kind))
        result = await self.search_parsed(parsed, k=max(k, 5))
        hits = result.hits
        if asked.kind == "search":
            plain = Answer(question, False, "", 0.0, hits[:k], 0.0, kind="search")
            return await self._logged(record, started, plain)
        weights = self.question_weights(result.terms)
        ranked = rank_sentences(asked, weights, [h.text for h in hits], term_finder(weights))
        choice, gaps = await self._first_supported(asked, ranked, hits)
        # Confidence: the share of the question's word weight the answer sentence covers.
        word_weights = self.question_weights(self._words(text[:MAX_QUERY_CHARS]))
        best = choice or (ranked[0] if ranked else None)
        confidence = (
            coverage(word_weights, set(self.tokenizer.tokenize(best.sentence))) if best else 0.0
        )
        if choice is None:
            gaps = await self._told_of_the_news(asked, gaps)
            refused = Answer(
                question, False, "", round(confidence, 3), hits[:k], 0.0,
                self.suggestion(question), missing=gaps,
            )
            return await self._logged(record, started, refused)
        shown = hits[:k]
        if choice.hit_index >= k:
            shown = [hits[choice.hit_index], *hits[: k - 1]]
        found = Answer(
            question, True, choice.sentence, round(confidence, 3), shown, 0.0,
            tentative=confidence < TENTATIVE_CONFIDENCE,
        )
        return await self._logged(record, started, found)

    async def _first_supported(
        self, asked: QuestionAnalysis, ranked: Sequence[SentenceChoice], hits: Sequence[Hit]
    ) -> tuple[SentenceChoice | None, list[str]]:
        """The best sentence its article supports (`retrieval.answerability`) among those
        worth checking (`retrieval.answer.to_check`), and, when none is supported, what the
        closest one lacks: the fewest of the question's names and stated facts missing, then
        the fewest gaps, the best-ranked among equals. The reply tells the reader what is
        missing, so it must not say the news never mentions 「乐山农商银行」 because a
        better-ranked sentence of another bank's story does not."""
        supports: dict[str, Support] = {}
        today = self.today()
        gaps: list[str] | None = None
        named = {names[0] for names in asked.entities} | {f"{ABOUT}{f}" for f in asked.facts}

        def distance(lacking: list[str]) -> tuple[int, int]:
            return sum(gap in named for gap in lacking), len(lacking)

        checked = to_check(ranked)
        # The articles of every sentence that may be checked, in one read.
        bodies = await self.store.articles.headed_bodies(
            [hits[c.hit_index].article_id for c in checked]
        )
        for candidate in checked:
            hit = hits[candidate.hit_index]
            if hit.article_id not in supports:
                body = bodies.get(hit.article_id, hit.text)
                supports[hit.article_id] = Support.of(body, hit.date)
            lacking = missing(asked, candidate.sentence, supports[hit.article_id], today)
            if not lacking:
                return candidate, []
            if gaps is None or distance(lacking) < distance(gaps):
                gaps = lacking
        return None, gaps or []

    async def _told_of_the_news(self, asked: QuestionAnalysis, gaps: list[str]) -> list[str]:
        """`gaps` with a name the closest story lacks left bare only when no stored passage
        names it in any of its spellings; a name the news has elsewhere becomes
        ``about:<name>``. The reply says 「新闻里没有关于“X”的报道」 for a bare name, so it must
        not say so of 「华为」 just because the stories closest to the question never name it.
        One phrase search per such name, on the refusal path only."""
        spellings = {names[0]: names for names in asked.entities}
        told = []
        for gap in gaps:
            names = spellings.get(gap)
            if names and await self._news_names(names):
                gap = f"{ABOUT}{gap}"
            told.append(gap)
        return told

    async def _news_names(self, names: Sequence[str]) -> bool:
        """Whether some stored passage holds one of `names`. The index answers most names at
        once: an indexed word (「华为」) is held, a name with a character pair no passage
        holds is not. The rest (「乐山农商银行」, no word of its own) are looked for in the
        best passages for the name's own terms, which all hold it when any does: a bounded
        read, where a phrase search could read every passage holding the name's pairs."""
        index = self._shared.index
        for name in names:
            if index.document_frequencies([fold(name)])[0] > 0:
                return True
            pairs = self.tokenizer.phrase_bigrams(name)
            if pairs and min(index.document_frequencies(pairs)) == 0:
                continue
            try:
                terms = self.query_terms(name)
            except QueryError:  # no searchable word in it: nothing can be shown to hold it
                continue
            best = [r.key for r in index.top_k(terms, _NAME_CHECKS)]
            rows = await self.store.articles.passages(best)
            holds = ParsedQuery(name, phrases=(name,))
            if any(holds.keeps(row.text, "", "") for row in rows.values()):
                return True
        return False

    async def _logged(self, record: bool, started: float, answer: Answer) -> Answer:
        """`answer` with the time it took, counted in the question statistics if `record`."""
        took = (time.perf_counter() - started) * 1000
        if record:
            await self.store.query_log.log("ask", took, answer.found)
        return dataclasses.replace(answer, took_ms=took)

    async def _newest_day(self) -> dt.date | None:
        newest = await self.store.articles.newest_date()
        try:
            return dt.date.fromisoformat(newest[:10]) if newest else None
        except ValueError:
            return None

    async def _news_of_time(
        self, question: str, timed: TimeQuestion, k: int, started: float, record: bool
    ) -> Answer:
        """The news of a time window, newest first: on the question's topic when it names one
        (relevant passages from the window), else the window's latest articles."""
        window = timed.window
        parsed = ParsedQuery(timed.topic, since=window.since, until=window.until)
        try:
            hits = (await self.search_parsed(parsed, k=k, sort="date")).hits
        except QueryError:  # only time and "news" words: every article of the window
            rows = await self.newest_matching(parsed, k)
            hits = [_hit(i + 1, 0.0, row, []) for i, row in enumerate(rows)]
        if not hits and timed.open_ended and self.tokenizer.tokenize(timed.topic):
            hits = (await self.search_parsed(ParsedQuery(timed.topic), k=k, sort="date")).hits
            dates = [h.date[:10] for h in hits if h.date]
            if dates:
                window = TimeWindow(min(dates), max(dates), window.label)
        took = (time.perf_counter() - started) * 1000
        if record:
            await self.store.query_log.log("ask", took, bool(hits))
        suggestion = "" if hits else self.suggestion(timed.topic)
        return Answer(question, bool(hits), "", 0.0, hits, took, suggestion, window=window)

    def answer_coverages(self, question: str, hits: Sequence[Hit]) -> list[float]:
        """Each hit's `answer_coverage` of the question: the one measure behind "found"."""
        weights = self.question_weights(self._words(question[:MAX_QUERY_CHARS]))
        return [answer_coverage(weights, h.text, self.tokenizer.tokenize) for h in hits]

    def suggestion(self, text: str) -> str:
        """A shorter search for `text`: its two longest terms that appear in it as written."""
        terms = self.tokenizer.words(text)
        lowered = text.lower()
        chosen: list[str] = []
        for term in sorted(dict.fromkeys(terms), key=len, reverse=True):
            if term in lowered and not any(term in c for c in chosen):
                chosen.append(term)
            if len(chosen) == 2:
                break
        return " ".join(sorted(chosen, key=lowered.find))


def _hit(rank: int, score: float, row: PassageRow, words: Sequence[str]) -> Hit:
    """A Hit from a stored passage; `terms` are the query words present in its text."""
    lowered = row.text.lower()
    return Hit(
        rank=rank,
        score=round(score, 4),
        text=row.text,
        article_id=row.article_id,
        title=row.title,
        date=row.date,
        source=row.source,
        url=row.url,
        paragraph=row.paragraph,
        heading=row.heading,
        page=row.page,
        terms=[w for w in dict.fromkeys(words) if w in lowered],
    )
