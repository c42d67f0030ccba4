"""Every user-facing string is valid Telegram HTML once its placeholders are filled."""

from __future__ import annotations

import re

from bot import texts
from tests.e2e.fake_bot_api import parse_html


def valid(html_text: str) -> str:
    """The visible text; raises if Telegram would reject the HTML."""
    return parse_html(html_text)[0]


def test_every_message_template_is_valid_html() -> None:
    for name in dir(texts):
        value = getattr(texts, name)
        if name.startswith("__"):
            continue
        if isinstance(value, str):
            valid(re.sub(r"\{[^}]*\}", "x", value))
