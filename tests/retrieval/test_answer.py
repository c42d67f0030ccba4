"""retrieval.answer: ranking the candidate answer sentences among the top passages."""

from __future__ import annotations

import dataclasses

import pytest

from retrieval import answer
from retrieval.answer import question_pairs, rank_sentences, sentence_key
from retrieval.question import analyze
from retrieval.rank import term_finder


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


def test_a_sentence_other_passages_repeat_beats_a_lone_paraphrase(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
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
    # Alone, with the slot signal (「主题」 next to new text), the question's wording
    # (「今年」「主题」) and the lead's words lent to the sentence after it set aside, the
    # lead wins.
    monkeypatch.setattr(answer, "PAIR_BONUS", 0.0)
    monkeypatch.setattr(answer, "CONTEXT_SHARE", 0.0)
    plain = dataclasses.replace(analyze("今年水周的主题是什么？"), slot=("", ""))
    alone = rank_sentences(plain, weights, passages[:1], words)
    assert alone[0].sentence == "各地 开展 水周 宣传 活动。"
    assert sentence_key("今年，水周。") == sentence_key("今年 水周")


def test_the_words_around_the_question_word_pick_the_sentence_that_fills_the_slot() -> None:
    # Both sentences hold 「健全」 and 「机制」 and cover the question alike; only the second
    # names the mechanism between them, where the question has 「什么」.
    question = analyze("《意见》要求推动健全什么机制？")
    weights = {"意见": 1.0, "要求": 1.0, "推动": 1.0, "健全": 1.0, "机制": 1.0}
    general = "《意见》要求推动完善相关机制，健全。"
    filled = "《意见》要求推动健全涉案财物追缴处置机制。"
    passages = [general, filled]
    ranked = rank_sentences(question, weights, passages, term_finder(weights))
    assert ranked[0].sentence == filled and ranked[0].hit_index == 1
    # Without the slot signal the first passage's sentences win on rank alone.
    plain = dataclasses.replace(question, slot=("", ""))
    assert rank_sentences(plain, weights, passages, term_finder(weights))[0].hit_index == 0


def test_a_sentence_that_asks_the_question_ranks_below_the_one_that_answers() -> None:
    question = analyze("这些影响会涉及哪些方面？")
    weights = {"影响": 1.0, "涉及": 1.0}
    asking = "这些影响会涉及哪些方面？"
    answer = "这些影响涉及出行、供电和通信。"
    ranked = rank_sentences(question, weights, [asking + answer], term_finder(weights))
    assert [c.sentence for c in ranked] == [answer, asking]


def test_a_how_many_question_prefers_the_number_near_its_words() -> None:
    question = analyze("2023年上半年发现了多少批次的不合格样品？")
    weights = {"不合格": 1.0, "样品": 1.0, "批次": 1.0}
    far = "发现不合格样品的批次，将在今后的抽检中逐一复查，预计要用上整整3个月。"
    near = "共发现不合格样品70174批次。"
    ranked = rank_sentences(question, weights, [far, near], term_finder(weights))
    assert ranked[0].sentence == near


def test_the_sentence_worded_like_the_question_wins_a_tie_of_coverage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Both hold the one weighted term and an amount; the second also writes 「能源集团」 and
    # 「投资」 as the question does, which the character pairs see and the terms do not.
    question = analyze("国家能源集团在湖南的投资金额是多少？")
    assert {"能源", "集团", "投资", "金额"} <= question_pairs(question.text)
    assert not any("多少" in pair or "少" in pair for pair in question_pairs(question.text))
    weights = {"投资": 1.0}
    lead, fact = "多家 企业 去年 投资 约 50亿元。", "国家能源集团 在湘 投资 达 123.89亿元。"
    passages = [f"{lead} {fact}"]
    assert rank_sentences(question, weights, passages, words)[0].sentence == fact
    monkeypatch.setattr(answer, "PAIR_BONUS", 0.0)
    assert rank_sentences(question, weights, passages, words)[0].sentence == lead


def test_the_asked_word_followed_by_a_copula_introduces_the_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Both name the week and its 「主题」 with text after it; the fact says 「主题为」.
    question = analyze("2023年世界母乳喂养周的主题是什么？")
    weights = {"2023": 1.0, "世界": 1.0, "母乳喂养周": 1.0, "主题": 1.0}
    lead = "医院开展2023年世界母乳喂养周主题宣传活动。"
    fact = "2023年8月1日至7日是第32个世界母乳喂养周，主题为“助力职场家庭促进母乳喂养”。"
    passages = [lead + fact]
    ranked = rank_sentences(question, weights, passages, term_finder(weights))
    assert ranked[0].sentence == fact and ranked[0].coverage == ranked[1].coverage
    monkeypatch.setattr(answer, "COPULA_BONUS", 0.0)
    assert rank_sentences(question, weights, passages, term_finder(weights))[0].sentence == lead


def test_a_sentence_after_the_one_naming_the_subject_shares_its_coverage() -> None:
    # The story names its subject once; the next sentence reports the figure. Another
    # passage's sentence holds as much of the question on its own, with no such sentence
    # before it.
    weights = {"能源": 1.0, "湖南": 1.0, "投资": 1.0}
    question = dataclasses.replace(analyze("能源集团在湖南的投资有多少？"), slot=("", ""))
    story = "省长 会见 能源 集团 客人 湖南。 投资 达 123 亿元。"
    other = "外省 投资 增加 100 亿元。"
    ranked = rank_sentences(question, weights, [other, story], words)
    assert ranked[0].sentence == "投资 达 123 亿元。" and ranked[0].hit_index == 1
    assert ranked[0].coverage == pytest.approx(1 / 3)
    # Without the neighbour it is a tie on coverage, and the better-ranked passage wins.
    alone = rank_sentences(question, weights, [other, "投资 达 123 亿元。"], words)
    assert alone[0].hit_index == 0



def test_the_sentence_stating_the_questions_year_wins_over_one_saying_this_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Both report a half-year's failure rate in the question's words; the national figure
    # asked about is the one dated 「2023年」, the city's says 「今年」.
    question = analyze("2023年上半年食品安全监督抽检的不合格率是多少？")
    assert question.facts == ("2023",)
    weights = {"上半年": 1.0, "食品安全": 1.0, "抽检": 1.0, "不合格率": 1.0}
    city = "上海市公布上半年食品安全监督抽检情况，今年上半年监督抽检不合格率为1.78%。"
    country = "2023年上半年，全国完成食品安全监督抽检，监督抽检不合格率为2.40%。"
    passages = [city, country]
    ranked = rank_sentences(question, weights, passages, term_finder(weights))
    assert ranked[0].sentence == country and ranked[0].coverage == ranked[1].coverage
    monkeypatch.setattr(answer, "FACT_BONUS", 0.0)
    assert rank_sentences(question, weights, passages, term_finder(weights))[0].sentence == city


def test_a_sentence_republished_in_several_passages_is_checked_once() -> None:
    same = answer.SentenceChoice("环卫工任红娟是定州市人。", 0, 0.5)
    others = [dataclasses.replace(same, hit_index=i) for i in (1, 2)]
    answering = answer.SentenceChoice("他被唐山师范学院录取。", 3, 0.3)
    asking = answer.SentenceChoice("他被哪所大学录取？", 4, 0.9)
    untouched = answer.SentenceChoice("天气晴。", 5, 0.0)
    checked = answer.to_check([asking, same, *others, untouched, answering])
    assert checked == [same, answering]
