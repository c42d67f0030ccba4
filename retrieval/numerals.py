"""Small whole numbers in Han numerals and in digits: 「第九十六届」 is 「第96届」.

A question and an article write an edition or a quarter either way, and the answer check
must treat both as the same stated fact. The numbers involved are under a thousand (editions,
quarters), so the two directions are a few lines here rather than a dependency (cn2an also
reads amounts, decimals and dates, none of which these facts need).
"""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_HAN_VALUES = {**{c: i for i, c in enumerate(_DIGITS)}, "两": 2, "〇": 0}
_LIMIT = 1000


def han_numeral(number: int) -> str:
    """「九十六」 for 96, 「十二」 for 12, 「一百零五」 for 105 (0 < number < 1000)."""
    if not 0 < number < _LIMIT:
        raise ValueError(f"{number} is outside 1..{_LIMIT - 1}")
    hundreds, tens, ones = number // 100, number // 10 % 10, number % 10
    out = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += "十" if tens == 1 and not hundreds else f"{_DIGITS[tens]}十"
    elif hundreds and ones:
        out += "零"
    return out + (_DIGITS[ones] if ones else "")


def numeral_value(text: str) -> int | None:
    """The value of digits or of a Han numeral under a thousand (「九十六」, 「两百」), None when
    `text` is neither."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _HAN_VALUES:
            digit = _HAN_VALUES[char]
        elif char in "十百":
            total += (1 if digit is None else digit) * (10 if char == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0) if text else None
