"""Every error the engine raises becomes a Chinese sentence, never the engine's English text."""

from __future__ import annotations

import inspect
import re

import pytest

import retrieval
import retrieval.errors
from bot import texts
from bot.explain import explain
from tests.bot.render.samples import valid

#: One instance of each engine error, as the engine raises it.
SAMPLES: list[Exception] = [
    retrieval.errors.QueryError("the query has no searchable words"),
    retrieval.errors.QuerySyntaxError("since", "last week"),
    retrieval.errors.QuerySyntaxError("until", "2023-13-01"),
    retrieval.errors.QuerySyntaxError("source", ""),
    retrieval.errors.QuerySyntaxError("range", "2023-08-01 > 2023-07-01"),
    retrieval.errors.UnknownArticle("no-such-id"),
    retrieval.errors.FeedProblem("not an http(s) URL: 'ftp://x'", "url"),
    retrieval.errors.FeedProblem("the interval must be 1..1440 minutes", "interval"),
    retrieval.errors.FeedProblem("already polling https://a.example/rss", "duplicate"),
    retrieval.errors.FeedProblem("some new problem"),
    retrieval.errors.SubscriptionLimit(10),
    retrieval.errors.StoreError("/tmp/x.db: not a usable newsbot database (file is not a db)"),
    retrieval.errors.UnreadableText("binary file (contains NUL bytes), not text"),
    retrieval.errors.FeedError("HTTP 404 Not Found"),
]
#: Latin words users may legitimately see: operators, the URL scheme, formats, commands.
ALLOWED_LATIN = {"source", "since", "until", "http", "s", "UTF", "GBK", "GB", "sources"}


def engine_error_types() -> list[type[BaseException]]:
    return [
        obj
        for _, obj in inspect.getmembers(retrieval.errors, inspect.isclass)
        if issubclass(obj, BaseException) and obj.__module__ == "retrieval.errors"
    ]


def test_every_engine_error_type_has_a_sample_and_is_exported() -> None:
    sampled = {type(e) for e in SAMPLES}
    assert set(engine_error_types()) == sampled
    assert all(getattr(retrieval, t.__name__) is t for t in engine_error_types())


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: f"{type(e).__name__}:{e}")
def test_each_error_is_explained_in_chinese_without_the_engine_message(error: Exception) -> None:
    sentence = valid(explain(error))
    assert sentence != texts.ERROR  # each has its own sentence, not the generic apology
    assert re.search(r"[\u4e00-\u9fff]", sentence)
    echoed = {getattr(error, "value", ""), *(a for a in error.args if isinstance(a, str))}
    engine_words = sentence
    for words in echoed - {str(error)}:  # what the user typed may be echoed back
        engine_words = engine_words.replace(words, "") if words else engine_words
    latin = set(re.findall(r"[A-Za-z]+", re.sub(r"/[a-z]+", "", engine_words)))
    assert latin <= ALLOWED_LATIN, latin
    assert str(error) not in sentence


def test_the_users_own_words_are_escaped() -> None:
    sentence = explain(retrieval.errors.QuerySyntaxError("since", "<b>x</b>"))
    assert "&lt;b&gt;x&lt;/b&gt;" in sentence and "<b>" not in sentence


def test_anything_else_is_the_generic_apology() -> None:
    assert explain(RuntimeError("boom")) == texts.ERROR
