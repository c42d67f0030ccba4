"""retrieval.answer: choosing the answer sentence among the top passages."""

from __future__ import annotations

from retrieval.answer import choose_sentence


def words(text: str) -> list[str]:
    return text.replace("。", " ").replace("？", " ").split()


def test_the_sentence_covering_the_question_is_chosen() -> None:
    weights = {"荷塘": 1.0, "面积": 1.0}
    passages = ["村里 有 新 路。 荷塘 面积 三百 亩。", "荷塘 在 村 东。"]
    choice = choose_sentence("荷塘 面积 多少？", weights, passages, words)
    assert choice is not None
    assert choice.sentence == "荷塘 面积 三百 亩。" and choice.hit_index == 0
    assert choice.coverage == 1.0


def test_a_how_many_question_prefers_the_sentence_with_a_number() -> None:
    weights = {"游客": 1.0}
    passages = ["端午 游客 很多 很多。", "端午 游客 12万 人次。"]
    choice = choose_sentence("游客 有 多少？", weights, passages, words)
    assert choice is not None and choice.hit_index == 1


def test_no_passages_no_choice() -> None:
    assert choose_sentence("问题？", {"问题": 1.0}, [], words) is None
