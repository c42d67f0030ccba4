"""Why a question was not answered, worded for the reader: the same Chinese lines in the chat
and in the terminal.

The engine reports what is missing as plain data (`Answer.missing`: names no story holds,
``"role:<word>"`` for the role a 谁 question asks about that the related stories never name,
``"about:<word>"`` for what else they do not mention, ``"type:<kind>"``, ``"date:<word>"``);
neither front end shows those codes. The lines say the biggest gap only: a name the news never
mentions, else the role asked about (「没有提到董事长是谁」), else what the related stories
leave out; news older than the day asked about is said whatever else is missing, and then
alone explains a missing fact or answer.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import texts

_SHOWN_TERMS = 3


def missing_lines(missing: list[str], escape: Callable[[str], str]) -> list[str]:
    """One or two sentences for the gaps in `missing`; `escape` is applied to the words taken
    from the news or the question (html.escape for Telegram, the identity for a terminal)."""
    coded = [m.split(":", 1) for m in missing if ":" in m]
    names = [m for m in missing if ":" not in m]
    about = [value for what, value in coded if what == "about"]
    roles = [value for what, value in coded if what == "role"]
    kinds = [value for what, value in coded if what == "type" and value in texts.ANSWER_TYPE_NAMES]
    days = [value for what, value in coded if what == "date"]
    lines = []
    if names:
        lines.append(texts.NOT_FOUND_TERMS.format(terms=escape("、".join(names[:_SHOWN_TERMS]))))
    elif days:
        pass  # the news is older than what was asked: that is the reason, said below
    elif roles:
        lines.append(texts.NOT_FOUND_ROLE.format(role=escape(roles[0])))
    elif about:
        lines.append(texts.NOT_FOUND_ABOUT.format(terms=escape("、".join(about[:_SHOWN_TERMS]))))
    elif kinds:
        lines.append(texts.NOT_FOUND_TYPE.format(what=texts.ANSWER_TYPE_NAMES[kinds[0]]))
    lines += [texts.NOT_FOUND_DAY.format(day=escape(day)) for day in days[:1]]
    return lines
