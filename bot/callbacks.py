"""The callback-data protocol of the bot's inline buttons: written and read only here.

Telegram returns at most 64 bytes of a button's data, so search queries and long article ids
never travel in it: a page button carries a short server-side key of the search, and a
「摘要」 button carries the article id when it is short enough, or else a key of it.

    pg:<key>:<page>    another page of the search stored under <key>, by relevance
    pg:<key>:<page>:d  the same, newest first (the 按时间/按相关度 button switches)
    sm:<article id>    the summary of that article
    sk:<key>           the summary of the article stored under <key>
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAGE_PREFIX = "pg:"
SUMMARY_PREFIX = "sm:"
SUMMARY_KEY_PREFIX = "sk:"
#: Article ids up to this many bytes go into callback data directly; longer ones get a key.
MAX_DIRECT_ID_BYTES = 40

_PAGE = re.compile(r"^pg:([\w-]{1,16}):(\d{1,4})(:d)?$")
#: Orders a search page can be shown in, as the engine names them.
RELEVANCE, DATE = "relevance", "date"
_SUMMARY = re.compile(r"^sm:(.+)$", re.DOTALL)
_SUMMARY_KEY = re.compile(r"^sk:([\w-]{1,16})$")


@dataclass(frozen=True)
class PageButton:
    """「上一页」/「下一页」/「按时间」: page `page` (from 0) of the search stored under `key`,
    in order `sort` ("relevance" or "date")."""

    key: str
    page: int
    sort: str = RELEVANCE


@dataclass(frozen=True)
class SummaryButton:
    """「摘要」: the article named directly (`article_id`) or stored under `key`."""

    article_id: str | None = None
    key: str | None = None


def page_data(key: str, page: int, sort: str = RELEVANCE) -> str:
    """Callback data of the button that shows page `page` of the search under `key`."""
    return f"{PAGE_PREFIX}{key}:{page}" + (":d" if sort == DATE else "")


def summary_data(article_id: str) -> str | None:
    """Callback data naming the article directly, or None when the id is too long for it."""
    if len(article_id.encode("utf-8")) > MAX_DIRECT_ID_BYTES:
        return None
    return SUMMARY_PREFIX + article_id


def summary_key_data(key: str) -> str:
    """Callback data naming the article stored under `key`."""
    return SUMMARY_KEY_PREFIX + key


def is_page(data: object) -> bool:
    """Routes a press to the page handler (a malformed page button gets 'expired' there)."""
    return isinstance(data, str) and data.startswith(PAGE_PREFIX)


def is_summary(data: object) -> bool:
    """Routes a press to the summary handler."""
    return isinstance(data, str) and data.startswith((SUMMARY_PREFIX, SUMMARY_KEY_PREFIX))


def parse_page(data: str) -> PageButton | None:
    """The page a page button asks for, or None when the data is not a valid page button."""
    match = _PAGE.match(data)
    if match is None:
        return None
    return PageButton(match.group(1), int(match.group(2)), DATE if match.group(3) else RELEVANCE)


def parse_summary(data: str) -> SummaryButton | None:
    """The article a 「摘要」 button names, or None when the data is not a summary button."""
    direct = _SUMMARY.match(data)
    if direct:
        return SummaryButton(article_id=direct.group(1))
    keyed = _SUMMARY_KEY.match(data)
    return SummaryButton(key=keyed.group(1)) if keyed else None
