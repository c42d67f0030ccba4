"""Cutting long Telegram HTML into valid messages under the limit."""

from __future__ import annotations

import random
import re

import pytest

from bot.html_split import split_html, units
from bot.markup import esc, highlight
from tests.e2e.fake_bot_api import parse_html, utf16_len


def valid(html_text: str) -> str:
    """The visible text; raises if Telegram would reject the HTML."""
    return parse_html(html_text)[0]


def test_units_count_utf16_code_units() -> None:
    assert units("新闻") == 2 and units("😀") == 2 and units("a&b") == 3


def test_short_text_is_one_message_and_blank_is_none() -> None:
    assert split_html("  <b>hi</b>\n") == ["<b>hi</b>"]
    assert split_html(" \n ") == []


def test_paragraphs_are_packed_and_never_cut() -> None:
    paragraphs = [f"第{n}段" + "字" * 900 for n in range(10)]
    chunks = split_html("\n\n".join(paragraphs))
    assert len(chunks) == 3
    assert all(len(c) <= 4096 for c in chunks)
    assert "\n\n".join(chunks) == "\n\n".join(paragraphs)


def test_long_paragraph_splits_at_sentence_ends_and_reopens_tags() -> None:
    sentence = "长江经济带高质量发展。"
    html_text = '<b><a href="https://x.cn">' + sentence * 1000 + "</a></b>"
    chunks = split_html(html_text)
    assert len(chunks) == 3
    for chunk in chunks:
        text, entities = parse_html(chunk)
        assert utf16_len(chunk) <= 4096 and text.endswith("。")
        assert {e["type"] for e in entities} == {"bold", "text_link"}
    assert "".join(valid(c) for c in chunks) == sentence * 1000


def test_entities_and_astral_characters_are_counted_and_never_cut() -> None:
    chunks = split_html("&amp;" * 3000)
    assert all(len(c) <= 4096 and c.count("&") == c.count("&amp;") for c in chunks)
    assert "".join(valid(c) for c in chunks) == "&" * 3000
    emoji = split_html("😀" * 3000)  # 2 UTF-16 units each
    assert [utf16_len(c) for c in emoji] == [4096, 6000 - 4096]


@pytest.mark.parametrize("seed", range(40))
def test_random_markup_splits_into_valid_messages_that_keep_all_text(seed: int) -> None:
    rng = random.Random(seed)
    limit = rng.randint(40, 400)
    words = ["新闻", "乐山", "A&B", "<x>", "😀", "句子。", " ", "\n", "\n\n", "报道！"]
    parts = []
    for _ in range(rng.randint(5, 80)):
        raw = "".join(rng.choice(words) for _ in range(rng.randint(1, 30)))
        kind = rng.random()
        if kind < 0.2:
            parts.append(f"<b>{esc(raw)}</b>")
        elif kind < 0.3:
            parts.append(f'<a href="https://x.cn/{seed}">{esc(raw)}<i>斜</i></a>')
        else:
            parts.append(highlight(raw, ["乐山", "A&B"]))
    html_text = "".join(parts)
    chunks = split_html(html_text, limit)
    for chunk in chunks:
        assert utf16_len(chunk) <= limit
        assert valid(chunk).strip()
    squash = re.compile(r"\s+")
    joined = "".join(squash.sub("", valid(c)) for c in chunks)
    assert joined == squash.sub("", valid(html_text))
