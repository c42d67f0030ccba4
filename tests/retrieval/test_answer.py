"""retrieval.answer: ranking the candidate answer sentences among the top passages."""

from __future__ import annotations

from retrieval.answer import rank_sentences, sentence_key
from retrieval.question import analyze


def words(text: str) -> list[str]:
    return text.replace("。", " ").replace("？", " ").split()


def test_the_sentence_covering_the_question_ranks_first() -> None:
    weights = {"荷塘": 1.0, "面积": 1.0}
    passages = ["村里 有 新 路。 荷塘 面积 三百 亩。", "荷塘 在 村 东。"]
    ranked = rank_sentences(analyze("荷塘面积有多大？"), weights, passages, words)
    best = ranked[0]
    assert best.sentence == "荷塘 面积 三百 亩。" and best.hit_index == 0
    assert best.coverage == 1.0
    assert len(ranked) == 3


def test_a_how_many_question_prefers_the_sentence_with_a_number() -> None:
    weights = {"游客": 1.0}
    passages = ["端午 游客 很多 很多。", "端午 游客 12万 人次。"]
    ranked = rank_sentences(analyze("端午游客有多少人次？"), weights, passages, words)
    assert ranked[0].hit_index == 1


def test_no_passages_no_candidates() -> None:
    assert rank_sentences(analyze("问题是什么？"), {"问题": 1.0}, [], words) == []


def test_a_sentence_other_passages_repeat_beats_a_lone_paraphrase() -> None:
    # The first passage's lead echoes the question as well as the fact does; the fact,
    # 「主题 是 节水」, is what the reprints (passages 2 and 3, other openings) all kept.
    weights = {"水周": 1.0, "主题": 1.0, "宣传": 1.0}
    fact = "今年 水周 主题 是 节水。"
    passages = [
        "各地 开展 水周 宣传 活动。 " + fact,
        "本报 讯。 " + fact,
        "记者 获悉。 " + fact,
    ]
    ranked = rank_sentences(analyze("今年水周的主题是什么？"), weights, passages, words)
    assert ranked[0].sentence == fact and ranked[0].hit_index == 0
    alone = rank_sentences(analyze("今年水周的主题是什么？"), weights, passages[:1], words)
    assert alone[0].sentence == "各地 开展 水周 宣传 活动。"
    assert sentence_key("今年，水周。") == sentence_key("今年 水周")
