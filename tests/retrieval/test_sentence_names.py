"""Who a sentence names where jieba cuts or tags the name wrongly."""

from __future__ import annotations

import rjieba

from retrieval.folding import fold
from retrieval.sentence_names import (
    TITLE_ENDS,
    is_person,
    name_after_title,
    name_before,
    unknown_name,
)


def _after_title(sentence: str) -> str:
    """The name `name_after_title` reads right after the sentence's first title."""
    tagged = rjieba.tag(fold(sentence))
    title = next(i for i, (word, _) in enumerate(tagged) if word.endswith(TITLE_ENDS))
    return name_after_title(tagged, title + 1)


def test_a_name_after_a_title_is_put_back_together() -> None:
    assert _after_title("部长黄润秋今天") == "黄润秋"  # cut 2+1
    assert _after_title("院长刘小利说") == "刘小利"  # surname tagged a bound morpheme
    assert _after_title("首席执行官Rebecca Rumbul说") == "rebecca rumbul"


def test_a_word_after_a_title_that_is_no_name_is_not_read_as_one() -> None:
    assert _after_title("书记介绍") == ""
    assert _after_title("部长") == ""


def test_a_name_ending_in_an_organisation_word_takes_the_words_before_it() -> None:
    tagged = rjieba.tag("亚庆农牧科技有限责任公司")
    assert name_before(tagged, len(tagged) - 1) == "亚庆农牧科技有限责任公司"
    later = rjieba.tag("我们去了亚庆农牧科技有限责任公司")
    assert name_before(later, len(later) - 1) == "亚庆农牧科技有限责任公司"


def test_a_person_is_a_full_name_and_a_name_jieba_made_up_is_unknown() -> None:
    assert is_person("游庆辉") and is_person("jan hatzius")
    assert not is_person("宁德") and not is_person("宁德时代")
    assert unknown_name("速恩山")
    assert not unknown_name("公司") and not unknown_name("abc")


def test_a_surname_and_given_name_jieba_cut_apart_are_one_person() -> None:
    assert rjieba.tag("史志军") == [("史", "nr"), ("志军", "n")]
    assert is_person("史志军")
    assert not is_person("淮安市") and not is_person("史志")
