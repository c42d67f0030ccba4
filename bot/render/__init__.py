"""Telegram HTML rendering of service results: the chat twin of `bot.cli.plaintext`.

Pure functions from service dataclasses to `Rendered`, ``(html_text, InlineKeyboardMarkup |
None)``: `answers` (answers, search pages, inline results, summaries, whole articles),
`reports` (help, listings and the admin reports) and `feeds` (feeds, subscriptions, alerts).
Text is escaped and highlighted by `bot.markup` before any markup is added; buttons carry
data written by `bot.callbacks`; text that must fit one message is cut by `bot.html_split`.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

Rendered = tuple[str, InlineKeyboardMarkup | None]
