"""The reader's script (bot.script): who gets Traditional, and what is converted."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import script


def test_written_script_needs_characters_of_one_script() -> None:
    assert script.written_script("樂山農商銀行發放了貸款嗎？") == script.TRADITIONAL
    assert script.written_script("乐山农商银行发放了贷款吗？") == script.SIMPLIFIED
    assert script.written_script("/sources 2023") is None
    assert script.written_script("大佛") is None  # the same in both scripts


def test_language_settings() -> None:
    assert script.language_script("zh-TW") == script.TAIWAN
    assert script.language_script("zh-hant") == script.TRADITIONAL
    assert script.language_script("zh-HK") == script.TRADITIONAL
    assert script.language_script("zh-hans") == script.SIMPLIFIED
    assert script.language_script("en") is None and script.language_script(None) is None


def test_convert_keeps_markup_urls_and_callback_data() -> None:
    html_text = '<b>乐山</b> <a href="https://a.example/x?q=1&amp;r=2">软件发布</a>'
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("下一页 »", callback_data="pg:k:1")]])
    text, converted = script.convert((html_text, keyboard), script.TAIWAN)
    assert text == '<b>樂山</b> <a href="https://a.example/x?q=1&amp;r=2">軟體釋出</a>'
    assert converted is not None
    button = converted.inline_keyboard[0][0]
    assert (button.text, button.callback_data) == ("下一頁 »", "pg:k:1")
    assert script.convert((html_text, keyboard), script.SIMPLIFIED) == (html_text, keyboard)
