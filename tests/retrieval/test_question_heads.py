"""What a question asks about, read from the words beside its question word."""

from __future__ import annotations

import rjieba

from retrieval.folding import fold
from retrieval.question_heads import asked_heads, class_noun
from retrieval.question_tags import retagged


def _heads(question: str) -> tuple[list[str], list[str]]:
    return asked_heads(retagged([(w, t) for w, t in rjieba.tag(fold(question)) if w.strip()]))


def test_the_noun_before_the_question_word_is_what_is_asked() -> None:
    assert _heads("乐山农商银行的董事长是谁？") == (["董事长"], [])


def test_the_noun_after_the_question_word_is_the_answers_class() -> None:
    # 「哪 所 大学毕业」: the measure word cut off, the verb jieba joined to the noun dropped
    assert _heads("他是哪所大学毕业的？") == ([], ["大学"])
    assert class_noun("大学毕业") == "大学" and class_noun("医院") == "医院"


def test_what_a_doer_did_it_to_is_asked_about() -> None:
    assert _heads("谁踢进了制胜球？") == (["制胜球"], [])
