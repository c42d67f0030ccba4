"""The reader's script: Traditional Chinese for readers who write it or whose Telegram is set
to it, Simplified otherwise.

Replies are written in Simplified (`bot.texts`, and most articles); for a Traditional reader
the whole rendered message — interface, article text, button labels — goes through OpenCC on
its way out (`s2twp` with Taiwan's vocabulary for zh-TW, `s2t` otherwise). HTML tags, URLs
and callback data are ASCII and pass through untouched. Search does not depend on this: the
engine folds every query to Simplified before tokenizing.

A Telegram language of zh-Hant, zh-TW, zh-HK or zh-MO always gets Traditional. Otherwise the
message decides (characters that exist in only one script), and a message that shows no
script (「/sources」, a button press, an alert) gets the script the reader used last time.
"""

from __future__ import annotations

from functools import lru_cache

import opencc
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

SIMPLIFIED = ""
TRADITIONAL = "s2t"
TAIWAN = "s2twp"
_TRADITIONAL_LANGUAGES = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")

Rendered = tuple[str, InlineKeyboardMarkup | None]


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def written_script(text: str) -> str | None:
    """TRADITIONAL or SIMPLIFIED when `text` has characters of only one script, else None."""
    if _converter("t2s").convert(text) != text:
        return TRADITIONAL
    if _converter("s2t").convert(text) != text:
        return SIMPLIFIED
    return None


def language_script(language_code: str | None) -> str | None:
    """The script a Telegram language setting asks for (None when it says nothing)."""
    code = (language_code or "").lower()
    if code.startswith("zh-tw"):
        return TAIWAN
    if code.startswith(_TRADITIONAL_LANGUAGES):
        return TRADITIONAL
    if code.startswith("zh"):
        return SIMPLIFIED
    return None


def reader_script(update: Update, remembered: str | None) -> str:
    """The script to answer this update in (see the module docstring for the evidence)."""
    user = update.effective_user
    setting = language_script(user.language_code if user else None)
    message = update.effective_message
    written = written_script(message.text or "") if message is not None else None
    if update.callback_query is not None:
        written = None  # the pressed message is ours, not the reader's writing
    if setting in (TRADITIONAL, TAIWAN):
        return setting
    if written is not None:
        return written
    return remembered if remembered is not None else SIMPLIFIED


def convert_text(text: str, script: str) -> str:
    """`text` in `script` (unchanged for Simplified)."""
    if script == SIMPLIFIED:
        return text
    converted: str = _converter(script).convert(text)
    return converted


def convert(rendered: Rendered, script: str) -> Rendered:
    """A rendered message (text and button labels) in `script`."""
    text, keyboard = rendered
    if script == SIMPLIFIED:
        return rendered
    if keyboard is not None:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        convert_text(b.text, script),
                        callback_data=b.callback_data,
                        url=b.url,
                    )
                    for b in row
                ]
                for row in keyboard.inline_keyboard
            ]
        )
    return convert_text(text, script), keyboard
