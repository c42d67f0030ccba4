"""Small whole numbers in Han numerals and digits, both ways."""

from __future__ import annotations

import pytest

from retrieval.numerals import han_numeral, numeral_value


@pytest.mark.parametrize(
    ("number", "han"),
    [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (96, "九十六"), (100, "一百"),
     (105, "一百零五"), (110, "一百一十"), (999, "九百九十九")],
)
def test_both_ways(number: int, han: str) -> None:
    assert han_numeral(number) == han
    assert numeral_value(han) == number
    assert numeral_value(str(number)) == number


def test_other_spellings_and_non_numbers() -> None:
    assert numeral_value("两百") == 200
    assert numeral_value("") is None and numeral_value("九十六届") is None
    with pytest.raises(ValueError, match="outside"):
        han_numeral(1000)
