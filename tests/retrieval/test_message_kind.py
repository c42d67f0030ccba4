"""Message kinds: chit-chat, tasks and bare keywords are told apart from real questions."""

from __future__ import annotations

import pytest

from retrieval.message_kind import classify


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你好", "chitchat"),
        ("在吗", "chitchat"),
        ("谢谢", "chitchat"),
        ("hi", "chitchat"),
        ("你今天心情怎么样？", "chitchat"),
        ("给我讲个笑话吧", "chitchat"),
        ("37乘以48等于多少？", "offtopic"),
        ("解方程：x² - 5x + 6 = 0", "offtopic"),
        ("用JavaScript怎么给数组去重？", "offtopic"),
        ("把“我爱你”翻译成日语", "offtopic"),
        ("帮我写一首关于秋天的七言绝句", "offtopic"),
        ("红烧肉怎么做才能肥而不腻？", "offtopic"),
        ("我和男朋友吵架了，应该先道歉吗？", "offtopic"),
        ("火", "search"),
        ("新闻", "search"),
        ("123", "search"),
        ("？？", "search"),
        ("乐山农商银行向哪家公司发放了贷款？", "question"),
        ("柏林村在哪个镇？", "question"),
        ("杭州亚运会开幕式的总导演是谁？", "question"),
    ],
)
def test_classify(text: str, kind: str) -> None:
    assert classify(text) == kind
