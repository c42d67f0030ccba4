"""What follows a command or a mention in a message, read the same way by every handler."""

from __future__ import annotations

import re

from telegram import Message


def command_argument(message: Message) -> str:
    """The text after `/command` (or `/command@bot`), spacing kept, stripped."""
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def number_argument(text: str) -> int | None:
    """A plain ASCII id such as `12` (not 「１２」 or 「²」), or None."""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


def without_mention(text: str, username: str) -> str:
    """`text` with ``@username`` (the bot's, in any case) removed: the question itself."""
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()
