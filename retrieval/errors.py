"""The exceptions the engine raises, in one place so front ends and parts share them.

Each carries a one-line message a user can act on. Problems with individual inputs are not
exceptions but `records.SourceError` entries, so one bad file never stops an ingest.
"""

from __future__ import annotations


class QueryError(ValueError):
    """The query cannot be searched (empty, or nothing but punctuation and emoji)."""


class QuerySyntaxError(QueryError):
    """A search operator has a value that cannot be used.

    `field` is "source", "since", "until" or "range" (since after until); `value` is what
    was written, so a front end can say in its own language what is wrong.
    """

    def __init__(self, field: str, value: str) -> None:
        reasons = {
            "source": "source: needs a publication name, e.g. source:乐山日报",
            "range": "since: is after until:",
        }
        reason = reasons.get(field, f"{field}: needs a date like 2023-07-01, 2023-07 or 2023")
        super().__init__(f"{reason} (got {value!r})")
        self.field = field
        self.value = value


class UnknownArticle(KeyError):
    """No article has the given id."""


class FeedProblem(ValueError):
    """A feed cannot be added: bad URL, bad interval, or already there (message says which).

    `reason` names the case for front ends that speak another language: "url", "interval"
    or "duplicate" ("" when not given).
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class SubscriptionLimit(ValueError):
    """The user already has the most subscriptions allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} subscriptions per user")
        self.limit = limit


class StoreError(RuntimeError):
    """The database cannot be opened or is not a newsbot database."""


class UnreadableText(ValueError):
    """The bytes are not text in an encoding we read (or are empty)."""


class FeedError(ValueError):
    """A fetched response (or its URL) cannot be used; the message is the one-line reason."""


def one_line(exc: BaseException) -> str:
    """An exception as one short line (some carry multi-line messages or none at all)."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
