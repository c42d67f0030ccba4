"""Answer-quality evaluation: the project's ranking and answers against a plain BM25 baseline.

    python bench/quality.py [--sets seed,cmrc,news,refusal] [--limit N] [--fresh]

For each question set it prints gold-hit@1/5/10, answer-hit@1/5, MRR@10, the share of answer
sentences containing the answer, and the share of questions answered `found`, for the project
and, on the same passages, for the baseline: rank-bm25 `BM25Okapi` over plain `jieba.lcut`
tokens, no stopwords. (The baseline is scored with rank-bm25-rs, which reproduces rank-bm25's
scores bit for bit from a compiled core; pure-Python rank-bm25 takes ~0.5 s per question at
this scale.) Corpora are ingested into scratch databases under `data/eval/`, reused while the
tokenizer and passage settings are unchanged (`--fresh` forces a new ingest).

`*-old` rows give the found / answer-sentence columns of the previous rule (found when the
best of the top 3 passages covers FOUND_COVERAGE of the question's word weight; sentence by
coverage alone), on the same passages. The `refusal` set asks, over the news corpus plus the
seed page, the unanswerable questions (share refused per kind) and the answerable controls
(found, and answer shown in the sentence or the top 3 passages), for the dev files and the
project's own sets in tests/data; then the reliability of `confidence` on news-qa-dev.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import multiprocessing
import pickle
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval import Hit, NewsService, QueryError  # noqa: E402
from retrieval.passages import MAX_PASSAGE_CHARS  # noqa: E402
from retrieval.rank import FOUND_COVERAGE, coverage  # noqa: E402
from retrieval.text import split_sentences  # noqa: E402
from retrieval.tokenizer import TOKENIZER_VERSION  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
SCRATCH = ROOT / "data" / "eval"
SEED_QUESTIONS = ROOT / "tests" / "data" / "seed_questions.jsonl"
SEED_OFFTOPIC = ROOT / "tests" / "data" / "seed_offtopic.txt"
SEED_PAGE_ID = "000_844d4cf99fbf511c"
TEST_DATA = ROOT / "tests" / "data"


def numbered_sets(stem: str) -> list[Path]:
    """`tests/data/<stem>.jsonl` and its numbered successors (`<stem>-2.jsonl`, …) in order:
    each later set was written blind and measured before any change was made for it (README,
    "Answer quality", says how each was written)."""
    numbered = TEST_DATA.glob(f"{stem}-*.jsonl")
    later = sorted(
        (p for p in numbered if p.stem.removeprefix(f"{stem}-").isdigit()),
        key=lambda p: int(p.stem.removeprefix(f"{stem}-")),
    )
    return [TEST_DATA / f"{stem}.jsonl", *later]


UNANSWERABLE = [EVAL / "unanswerable-dev.jsonl", *numbered_sets("unanswerable-own")]
CONTROLS = [
    EVAL / "answerable-control-dev.jsonl",
    TEST_DATA / "answerable-own.jsonl",  # the seed page
    *numbered_sets("answerable-own-news"),  # the news corpus
]
CONFIDENCE_BUCKETS = (0.0, 0.4, 0.6, 0.8, 1.01)


@dataclass(frozen=True)
class Question:
    """One evaluation question: gold article ids and acceptable answer strings."""

    text: str
    gold: frozenset[str]
    answers: tuple[str, ...]


@dataclass
class Scores:
    """Accumulated measures for one system on one question set."""

    n: int = 0
    gold_hit: dict[int, int] = field(default_factory=lambda: {1: 0, 5: 0, 10: 0})
    answer_hit: dict[int, int] = field(default_factory=lambda: {1: 0, 3: 0, 5: 0})
    mrr: float = 0.0
    sentence_hit: int = 0
    #: Sentence hits on the odd and on the even lines of the question file: a change that
    #: helps only one half is tuned to the questions, not the method.
    sentence_halves: list[int] = field(default_factory=lambda: [0, 0])
    #: The same for answer-hit@1 and @5 (the ranking), by k.
    answer_halves: dict[int, list[int]] = field(
        default_factory=lambda: {1: [0, 0], 5: [0, 0]}
    )
    found: int = 0
    found_answer_hit5: int = 0
    latencies: list[float] = field(default_factory=list)

    def add(self, q: Question, ranked: Sequence[tuple[str, str]]) -> None:
        """`ranked`: (article id, passage text) best first."""
        self.n += 1
        first_gold = next((i for i, (aid, _) in enumerate(ranked[:10]) if aid in q.gold), None)
        for k in self.gold_hit:
            self.gold_hit[k] += first_gold is not None and first_gold < k
        if first_gold is not None:
            self.mrr += 1 / (first_gold + 1)
        for k in self.answer_hit:
            hit = any(
                aid in q.gold and contains_answer(text, q.answers) for aid, text in ranked[:k]
            )
            self.answer_hit[k] += hit
            if k in self.answer_halves:
                self.answer_halves[k][(self.n - 1) % 2] += hit

    def row(self, name: str) -> str:
        n = max(self.n, 1)
        lat = f"{np.percentile(self.latencies, 50):6.1f}" if self.latencies else "     -"
        return (
            f"{name:<10} {self.n:>4}  {self.gold_hit[1] / n:5.3f} {self.gold_hit[5] / n:5.3f} "
            f"{self.gold_hit[10] / n:5.3f}  {self.answer_hit[1] / n:5.3f} "
            f"{self.answer_hit[3] / n:5.3f} {self.answer_hit[5] / n:5.3f}  {self.mrr / n:5.3f}  "
            f"{self.sentence_hit / n:5.3f}  {self.found / n:5.3f}  "
            f"{self.found_answer_hit5 / n:5.3f}  {lat}"
        )


HEADER = (
    "system        n   g@1   g@5  g@10   a@1   a@3   a@5  mrr10  sent   found  a@5|f  p50ms"
)


def squash(text: str) -> str:
    """Whitespace removed, for answer matching."""
    return re.sub(r"\s+", "", text)


def contains_answer(text: str, answers: Iterable[str]) -> bool:
    """True when `text` contains one of `answers`, whitespace ignored."""
    flat = squash(text)
    return any(a and squash(a) in flat for a in answers)


# ---------------------------------------------------------------------- question sets


def news_questions() -> list[Question]:
    rows = [json.loads(ln) for ln in (EVAL / "news-qa-dev.jsonl").read_text("utf-8").splitlines()]
    return [Question(r["question"], frozenset(r["gold_ids"]), (r["answer"],)) for r in rows]


def cmrc_questions_and_corpus(tmp: Path) -> tuple[list[Question], Path]:
    lines = (EVAL / "cmrc2018-trial.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(ln) for ln in lines]
    corpus = tmp / "cmrc-contexts.jsonl"
    seen: dict[str, str] = {}
    for r in rows:
        seen.setdefault(r["context_id"], json.dumps(
            {"id": r["context_id"], "title": r["title"], "text": r["context"],
             "source": "CMRC 2018"}, ensure_ascii=False))
    corpus.write_text("\n".join(seen.values()) + "\n", "utf-8")
    questions = [
        Question(r["question"], frozenset([r["context_id"]]), tuple(r["answers"])) for r in rows
    ]
    return questions, corpus


def seed_questions() -> tuple[list[Question], list[str]]:
    rows = [json.loads(ln) for ln in SEED_QUESTIONS.read_text("utf-8").splitlines() if ln.strip()]
    questions = [
        Question(r["question"], frozenset([f"{SEED_PAGE_ID}-{r['article']}"]), (r["answer"],))
        for r in rows
    ]
    offtopic = [ln.strip() for ln in SEED_OFFTOPIC.read_text("utf-8").splitlines() if ln.strip()]
    return questions, offtopic


# ---------------------------------------------------------------------- systems


async def open_corpus(name: str, inputs: list[Path], fresh: bool) -> NewsService:
    """A service over a scratch database holding `inputs`, reused when settings match."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    tag = f"{name}-t{TOKENIZER_VERSION}-p{MAX_PASSAGE_CHARS}"
    db = SCRATCH / f"{tag}.db"
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    service = await NewsService.open(db)
    articles, _ = await service.store.articles.counts()
    if not articles:
        started = time.perf_counter()
        report = await service.ingest(inputs)
        print(f"  ingested {name}: {report.added} articles, {report.passages} passages "
              f"in {time.perf_counter() - started:.1f} s", flush=True)
    return service


def _jieba_tokens(texts: list[str]) -> list[list[str]]:
    import jieba

    jieba.setLogLevel(60)
    return [jieba.lcut(t) for t in texts]


class Baseline:
    """rank-bm25 BM25Okapi over plain jieba.lcut tokens of the service's own passages."""

    def __init__(self, ids: list[int], texts: list[str], cache: Path) -> None:
        import rank_bm25_rs

        self.ids = ids
        if cache.exists():
            tokens = pickle.loads(cache.read_bytes())
        else:
            chunks = [texts[i : i + 2000] for i in range(0, len(texts), 2000)]
            with multiprocessing.get_context("fork").Pool(2) as pool:
                tokens = [t for part in pool.map(_jieba_tokens, chunks) for t in part]
            cache.write_bytes(pickle.dumps(tokens))
        self.bm25 = rank_bm25_rs.BM25Okapi(tokens)

    def rank(self, question: str, k: int = 10) -> list[int]:
        import jieba

        scores = np.asarray(self.bm25.get_scores(jieba.lcut(question)))
        top = np.argsort(-scores, kind="stable")[:k]
        return [self.ids[i] for i in top]


def _legacy_sentence(
    service: NewsService, question: str, weights: dict[str, float], passages: list[str]
) -> str:
    """The previous rule's answer sentence: best coverage, nudged by rank and kind."""
    number = re.compile(
        r"\d|[一二三四五六七八九十百千万亿两]+(?:个|家|名|人|元|吨|亩|倍|项|次|年|天)"
    )
    date = re.compile(r"\d{1,4}\s*[年月日号]|[上下]午|今年|去年|明年|近日|日前|周[一二三四五六日]")
    kinds = (
        (re.compile(r"多少|几[个家名人年天次位项]|多大|多长|多高|多重|比例|百分"), number),
        (re.compile(r"何时|什么时候|哪一?年|哪一?天|几月|几号|几日|日期|时间"), date),
    )
    best, best_score = "", float("-inf")
    for rank, text in enumerate(passages):
        for sentence in split_sentences(text):
            score = coverage(weights, set(service.tokenizer.tokenize(sentence))) - 0.04 * rank
            for asks, holds in kinds:
                if asks.search(question):
                    score += 0.15 if holds.search(sentence) else -0.1
                    break
            if len(sentence) < 6:
                score -= 0.2
            if score > best_score:
                best, best_score = sentence, score
    return best


async def legacy_ask(service: NewsService, question: str) -> tuple[bool, str]:
    """(found, sentence) by the rule `ask` used before answerability checks."""
    result = await service.search(question, k=5)
    weights = service.question_weights(result.terms)
    sentence = _legacy_sentence(service, question, weights, [h.text for h in result.hits])
    words = service.question_weights(service.tokenizer.words(question[:1000]))
    best = max(
        (coverage(words, set(service.tokenizer.tokenize(h.text))) for h in result.hits[:3]),
        default=0.0,
    )
    return bool(sentence) and best >= FOUND_COVERAGE, sentence


async def evaluate(
    name: str,
    service: NewsService,
    questions: list[Question],
    offtopic: list[str],
    baseline: bool,
    reliability: list[tuple[float, bool]] | None = None,
) -> tuple[Scores, Scores | None, int, Scores]:
    ours = Scores()
    old = Scores()
    for q in questions:
        started = time.perf_counter()
        try:
            result = await service.search(q.text, k=10)
            hits: list[Hit] = result.hits
        except QueryError:
            hits = []
        ours.latencies.append((time.perf_counter() - started) * 1000)
        ours.add(q, [(h.article_id, h.text) for h in hits])
        old.add(q, [(h.article_id, h.text) for h in hits])
        try:
            answer = await service.ask(q.text)
        except QueryError:
            continue
        ours.found += answer.found
        holds = answer.found and contains_answer(answer.sentence, q.answers)
        ours.sentence_hit += holds
        ours.sentence_halves[(ours.n - 1) % 2] += holds
        ours.found_answer_hit5 += answer.found and any(
            h.article_id in q.gold and contains_answer(h.text, q.answers) for h in hits[:5]
        )
        if reliability is not None and answer.found:
            reliability.append((answer.confidence, contains_answer(answer.sentence, q.answers)))
        found, sentence = await legacy_ask(service, q.text)
        old.found += found
        old.sentence_hit += found and contains_answer(sentence, q.answers)
        old.found_answer_hit5 += found and any(
            h.article_id in q.gold and contains_answer(h.text, q.answers) for h in hits[:5]
        )
    silent = 0
    for text in offtopic:
        try:
            silent += not (await service.ask(text)).found
        except QueryError:
            silent += 1
    base: Scores | None = None
    if baseline:
        ids, texts = [], []
        async for pid, text in service.store.articles.all_passages():
            ids.append(pid)
            texts.append(text)
        cache = SCRATCH / f"{name}-baseline-p{MAX_PASSAGE_CHARS}-{len(ids)}.pkl"
        system = await asyncio.to_thread(Baseline, ids, texts, cache)
        base = Scores()
        for q in questions:
            keys = system.rank(q.text)
            rows = await service.store.articles.passages(keys)
            base.add(q, [(rows[key].article_id, rows[key].text) for key in keys if key in rows])
    return ours, base, silent, old


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        print(f"  (skipped: {path} not found)")
        return []
    return [json.loads(ln) for ln in path.read_text("utf-8").splitlines() if ln.strip()]


async def _refused(service: NewsService, question: str) -> tuple[bool, bool]:
    """(refused by `ask`, refused by the previous rule)."""
    try:
        ours = not (await service.ask(question)).found
    except QueryError:
        ours = True
    try:
        old = not (await legacy_ask(service, question))[0]
    except QueryError:
        old = True
    return ours, old


async def refusal_report(service: NewsService) -> list[str]:
    """Refusal per kind on the unanswerable sets, found / shown on the answerable controls."""
    lines = []
    for path in UNANSWERABLE:
        per_kind: dict[str, list[int]] = {}
        for row in _rows(path):
            ours, old = await _refused(service, row["question"])
            counts = per_kind.setdefault(row["kind"], [0, 0, 0])
            counts[0] += ours
            counts[1] += old
            counts[2] += 1
        if not per_kind:
            continue
        lines.append(f"refused, {path.name}:   kind            ours       old")
        for kind, (ours_n, old_n, n) in [*per_kind.items(), ("ALL", [
            sum(c[i] for c in per_kind.values()) for i in range(3)
        ])]:
            lines.append(f"  {kind:<28} {ours_n:>3}/{n:<3} {ours_n / n:5.2f}  "
                         f"{old_n:>3}/{n:<3} {old_n / n:5.2f}")
    for path in CONTROLS:
        rows = _rows(path)
        if not rows:
            continue
        found = shown = old_found = old_shown = 0
        for row in rows:
            answers = (row["answer"],)
            answer = await service.ask(row["question"])
            found += answer.found
            shown += answer.found and (
                contains_answer(answer.sentence, answers)
                or any(contains_answer(h.text, answers) for h in answer.hits[:3])
            )
            was_found, sentence = await legacy_ask(service, row["question"])
            top3 = (await service.search(row["question"], k=3)).hits
            old_found += was_found
            old_shown += was_found and (
                contains_answer(sentence, answers)
                or any(contains_answer(h.text, answers) for h in top3)
            )
        n = len(rows)
        lines.append(f"controls, {path.name}: found {found}/{n} = {found / n:.2f}, "
                     f"shown {shown}/{n} = {shown / n:.2f}   (old: found {old_found / n:.2f}, "
                     f"shown {old_shown / n:.2f})")
    return lines


def reliability_table(pairs: list[tuple[float, bool]]) -> list[str]:
    """Confidence bucket → share of found answers whose sentence holds the gold answer."""
    lines = ["reliability on news-qa-dev (found answers): confidence   n   sentence holds answer"]
    for low, high in itertools.pairwise(CONFIDENCE_BUCKETS):
        inside = [hit for conf, hit in pairs if low <= conf < high]
        share = f"{sum(inside) / len(inside):.2f}" if inside else "   -"
        lines.append(f"  [{low:.1f}, {min(high, 1.0):.1f}{']' if high > 1 else ')'}"
                     f"              {len(inside):>4}   {share}")
    return lines


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="seed,cmrc,news,refusal")
    parser.add_argument("--limit", type=int, default=0, help="first N questions per set")
    parser.add_argument("--fresh", action="store_true", help="re-ingest scratch corpora")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    sets = args.sets.split(",")
    SCRATCH.mkdir(parents=True, exist_ok=True)
    print(f"passages ≤ {MAX_PASSAGE_CHARS} chars, tokenizer v{TOKENIZER_VERSION}")
    lines = [HEADER]
    reliability: list[tuple[float, bool]] = []
    for name in sets:
        offtopic: list[str] = []
        if name == "refusal":
            inputs = [EVAL / "news-corpus.jsonl.gz", ROOT / "seeds"]
            service = await open_corpus("newsseed", inputs, args.fresh)
            try:
                if await service.store.articles.article(f"{SEED_PAGE_ID}-3") is None:
                    await service.ingest([ROOT / "seeds"])
                report = await refusal_report(service)
            finally:
                await service.close()
            lines += ["", *report]
            print("\n".join(report), flush=True)
            continue
        if name == "news":
            questions = news_questions()
            inputs = [EVAL / "news-corpus.jsonl.gz"]
        elif name == "cmrc":
            questions, corpus = cmrc_questions_and_corpus(SCRATCH)
            inputs = [corpus]
        elif name == "seed":
            questions, offtopic = seed_questions()
            inputs = [ROOT / "seeds"]
        else:
            raise SystemExit(f"unknown set {name!r}")
        if args.limit:
            questions = questions[: args.limit]
        service = await open_corpus(name, inputs, args.fresh)
        try:
            ours, base, silent, old = await evaluate(
                name, service, questions, offtopic, not args.no_baseline,
                reliability if name == "news" else None,
            )
        finally:
            await service.close()
        lines.append(ours.row(f"{name}"))
        halves = [(len(questions) + 1) // 2, len(questions) // 2]
        lines.append(f"{name}: sent on odd lines {ours.sentence_halves[0]}/{halves[0]}, "
                     f"on even lines {ours.sentence_halves[1]}/{halves[1]}; "
                     + "; ".join(f"a@{k} odd/even {odd}/{even}" for k, (odd, even)
                                 in ours.answer_halves.items()))
        lines.append(old.row(f"{name}-old"))
        if base:
            lines.append(base.row(f"{name}-base"))
        if offtopic:
            lines.append(f"{name}: off-topic questions answered found=false: "
                         f"{silent}/{len(offtopic)} = {silent / len(offtopic):.2f}")
        print("\n".join(lines[-5:]), flush=True)
    if reliability:
        lines += ["", *reliability_table(reliability)]
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main())
