"""Why a question was not answered, worded for the reader: the same Chinese lines in the chat
and in the terminal.

The engine reports what is missing as plain data (`Answer.missing`: absent terms,
``"type:<kind>"``, ``"date:<word>"``); neither front end shows those codes.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import texts


def missing_lines(missing: list[str], escape: Callable[[str], str]) -> list[str]:
    """One sentence per kind of gap; `escape` is applied to the words taken from the news or
    the question (html.escape for Telegram, the identity for a terminal)."""
    terms = [m for m in missing if ":" not in m]
    lines = []
    if terms:
        lines.append(texts.NOT_FOUND_TERMS.format(terms=escape("、".join(terms[:3]))))
    for what, value in (m.split(":", 1) for m in missing if ":" in m):
        if what == "type" and value in texts.ANSWER_TYPE_NAMES:
            lines.append(texts.NOT_FOUND_TYPE.format(what=texts.ANSWER_TYPE_NAMES[value]))
        elif what == "date":
            lines.append(texts.NOT_FOUND_DAY.format(day=escape(value)))
    return lines
