"""The button callback-data protocol: what is written is read back, and nothing else is."""

from __future__ import annotations

from bot import callbacks
from bot.callbacks import PageButton, SummaryButton


def test_callback_data_fits_64_bytes_and_long_ids_need_a_key() -> None:
    assert callbacks.summary_data("000_844d4cf99fbf511c-3") == "sm:000_844d4cf99fbf511c-3"
    assert callbacks.summary_data("x" * 41) is None
    assert callbacks.summary_data("新" * 14) is None  # 42 bytes in UTF-8
    assert len(callbacks.page_data("A" * 16, 9999, callbacks.DATE).encode()) <= 64


def test_what_is_written_parses_back() -> None:
    assert callbacks.parse_page(callbacks.page_data("ab-_9", 3)) == PageButton("ab-_9", 3)
    by_date = callbacks.parse_page(callbacks.page_data("ab", 0, callbacks.DATE))
    assert by_date == PageButton("ab", 0, "date")
    article = "000_844d4cf99fbf511c-3"
    direct = callbacks.summary_data(article)
    assert direct is not None
    assert callbacks.parse_summary(direct) == SummaryButton(article_id=article)
    assert callbacks.parse_summary(callbacks.summary_key_data("K1")) == SummaryButton(key="K1")


def test_malformed_data_parses_to_nothing() -> None:
    malformed = ("pg:", "pg:key", "pg:key:x", "pg:k:12345", "pg:" + "k" * 17 + ":1", "pg:k:1:x")
    for data in (*malformed, "sm:2"):
        assert callbacks.parse_page(data) is None, data
    for data in ("sk:", "sk:a b", "sk:" + "k" * 17, "pg:k:1", "whatever", "sm:"):
        assert callbacks.parse_summary(data) is None, data


def test_routing_is_by_prefix_so_malformed_buttons_reach_a_handler_that_says_expired() -> None:
    assert callbacks.is_page("pg:nosuchkey:1") and callbacks.is_page("pg:broken")
    assert callbacks.is_summary("sm:a1") and callbacks.is_summary("sk:nosuchkey")
    assert not callbacks.is_page("sm:a1") and not callbacks.is_summary("pg:k:1")
    assert not callbacks.is_page(None) and not callbacks.is_summary(b"sm:a1")
