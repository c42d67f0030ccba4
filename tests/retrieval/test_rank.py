"""retrieval.rank: coverage, the "found" test and the second-stage reranking."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from retrieval.rank import (
    FOUND_COVERAGE,
    TermFinder,
    answer_coverage,
    coverage,
    duplicate_key,
    is_found,
    rerank,
)
from retrieval.records import Candidate


def words(text: str) -> list[str]:
    return text.replace("。", " ").split()


def test_coverage_is_the_share_of_question_weight_present() -> None:
    weights = {"乐山": 1.0, "大佛": 3.0}
    assert coverage(weights, {"大佛", "其他"}) == pytest.approx(0.75)
    assert coverage(weights, set()) == 0.0
    assert coverage({}, {"大佛"}) == 0.0


def test_found_needs_enough_of_the_question_words() -> None:
    weights = {"乐山": 1.0, "大佛": 1.0, "开馆": 2.0}
    full = answer_coverage(weights, "乐山 大佛 博物馆 开馆。", words)
    part = answer_coverage(weights, "乐山 新闻。", words)
    assert full == 1.0 and is_found(full)
    assert part == pytest.approx(0.25) and not is_found(part)
    assert is_found(FOUND_COVERAGE) and not is_found(FOUND_COVERAGE - 0.01)


def test_one_sentence_answering_beats_words_scattered_over_a_passage() -> None:
    weights = {"荷塘": 1.0, "亩": 1.0, "柏林村": 1.0}
    scattered = Candidate(1, 10.0, "荷塘 很美。 亩 产 高。 柏林村 在 远方。")
    answering = Candidate(2, 8.0, "柏林村 荷塘 有 三百 亩。")
    ranked = rerank([scattered, answering], weights, words)
    assert [c.key for c, _ in ranked] == [2, 1]
    assert ranked[0][1] > ranked[1][1]


def test_reprints_are_collapsed_to_their_best_ranked_copy() -> None:
    story = "峨眉山 端午 接待 游客 十二万 人次。"
    copies = [Candidate(1, 9.0, story), Candidate(2, 9.0, " " + story)]
    ranked = rerank([*copies, Candidate(3, 1.0, "别的 新闻。")], {"峨眉山": 1.0}, words)
    assert [c.key for c, _ in ranked] == [1, 3]
    assert duplicate_key("a, b!") == duplicate_key("a b")
    assert rerank([], {"x": 1.0}, words) == []
    # Asked for the first one only: the same first one, the rest never tested.
    every = [*copies, Candidate(3, 1.0, "别的 新闻。")]
    assert rerank(every, {"峨眉山": 1.0}, words, limit=1) == ranked[:1]
    assert rerank(every, {"峨眉山": 1.0}, words, limit=2) == ranked


def test_term_finder_finds_the_terms_the_tokenizer_would_make() -> None:
    from retrieval.rank import term_finder
    from retrieval.tokenizer import Tokenizer

    tokenizer = Tokenizer()
    text = "乐山农商银行向乐山市亚庆农牧科技有限责任公司发放３８０万元ＧＤＰ贷款。"
    made = set(tokenizer.tokenize(text))
    query = [*tokenizer.tokenize("农商银行发放了多少GDP贷款？"), "#不在", "缺席"]
    found = set(term_finder(query)(text))
    # Every query term the tokenizer makes from the text is found; nothing absent is.
    assert {t for t in query if t in made} <= found
    assert "#不在" not in found and "缺席" not in found
    assert "gdp" in found  # full-width capitals folded like the index folds them


def test_rerank_with_the_term_finder_prefers_the_covering_passage() -> None:
    from retrieval.rank import term_finder

    weights = {"荷塘": 1.0, "面积": 1.0, "#荷塘": 0.5}
    cands = [Candidate(1, 5.0, "村里有新路。荷塘在村东。"), Candidate(2, 4.0, "荷塘面积三百亩。")]
    ordered = rerank(cands, weights, term_finder(weights))
    assert [c.key for c, _ in ordered] == [2, 1]


def test_a_passage_whose_article_covers_the_rest_of_the_question_ranks_first() -> None:
    # Two equally scored passages hold 「开馆」; only the first one's article (whose other
    # passage names 乐山大佛) covers the rest of the question.
    weights = {"乐山": 1.0, "大佛": 1.0, "开馆": 1.0}
    lone = Candidate(1, 5.0, "博物馆 今天 开馆。")
    story_answer = Candidate(2, 5.0, "博物馆 明天 开馆。")
    story_names = Candidate(3, 4.0, "乐山 大佛 景区 新 建 博物馆。")
    cands = [lone, story_answer, story_names]
    grouped = rerank(cands, weights, words, ["a", "b", "b"])
    assert [c.key for c, _ in grouped] == [3, 2, 1]
    alone = rerank(cands, weights, words)  # without article ids: each passage on its own
    assert [c.key for c, _ in alone] == [3, 1, 2]


def test_term_finder_sentences_hold_what_each_sentence_alone_would_hold() -> None:
    from retrieval.rank import sentence_terms, term_finder
    from retrieval.text import split_sentences

    find = term_finder(["农商", "银行", "#贷款", "gdp", "亚庆"])
    texts = [
        "乐山農商銀行成功發放貸款。ＧＤＰ增长３．５％！亚庆公司表示感谢",  # folding keeps length
        "银行说……贷款已到位。农商行回应",  # 「……」 becomes 「......」: folded sentence by sentence
    ]
    for text in texts:
        pairs = sentence_terms(text, find)
        assert [s for s, _ in pairs] == split_sentences(text)
        assert [terms for _, terms in pairs] == [set(find(s)) for s in split_sentences(text)]
    assert sentence_terms(texts[0], find)[0][1] == {"农商", "银行", "#贷款"}

def test_question_phrases_are_the_wording_between_question_words_and_punctuation() -> None:
    from retrieval.rank import question_phrases

    assert question_phrases("谁被当选为广东省侨联主席？") == ["被当选为广东省侨联主席"]
    assert question_phrases("台风“卡努”移动的方向是什么？") == ["台风", "卡努", "移动的方向是"]
    assert question_phrases("ＧＤＰ增长了多少？") == ["gdp增长了"]  # folded like passages
    assert question_phrases("？！") == []


def test_longest_shared_is_the_longest_stretch_of_a_phrase_found_verbatim() -> None:
    from retrieval.rank import longest_shared, phrase_match

    text = "在广州，广东省侨联主席李丰会见了考察团一行。"
    assert longest_shared(["被当选为广东省侨联主席"], text) == 7
    assert longest_shared(["侨青联", "李丰会见"], text) == 4
    assert longest_shared(["没有数据"], text) == 0
    assert phrase_match(["被当选为广东省侨联主席"], text) == pytest.approx(7 / 11)
    assert phrase_match([], text) == 0.0


def test_the_passage_repeating_the_question_wording_ranks_first() -> None:
    from retrieval.rank import term_finder

    # Both passages hold every question term in one sentence, with the same BM25 score: the
    # one that restates the topic comes first by itself; asked 「谁被当选为广东省侨联主席」,
    # the one that says 「广东省侨联主席李丰」 in the question's own words goes ahead.
    question = "谁被当选为广东省侨联主席？"
    weights = {"当选": 2.0, "广东省": 1.0, "侨联": 2.0, "主席": 1.0}
    restating = Candidate(1, 6.0, "广东省各地侨联换届，当选的主席均为侨界代表。")
    answering = Candidate(2, 6.0, "在广州，广东省侨联主席李丰会见了考察团，李丰今年当选。")
    cands = [restating, answering]
    plain = rerank(cands, weights, term_finder(weights))
    asked = rerank(cands, weights, term_finder(weights), question=question)
    assert [c.key for c, _ in plain] == [1, 2]
    assert [c.key for c, _ in asked] == [2, 1]
    # The phrase match also works with a tokenizer in place of the term finder.
    assert [c.key for c, _ in rerank(cands, weights, words, question=question)] == [2, 1]


def test_the_passage_going_on_where_the_question_stops_ranks_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from retrieval import rank
    from retrieval.rank import term_finder

    # Both passages hold every question term with the same BM25 score. The first repeats the
    # question's wording (the longer phrase match) and stops there; the second goes on after
    # 「增加」 and before 「欧元」 with new text, where the answer stands.
    question = "意大利政府预期银行暴利税将增加多少欧元的收入？"
    weights = {"意大利": 2.0, "政府": 1.0, "银行": 1.0, "暴利税": 3.0, "增加": 1.0, "欧元": 0.1}
    restating = Candidate(1, 6.0, "意大利政府预期银行暴利税将增加。欧元区市场关注。")
    telling = Candidate(2, 6.0, "意大利政府称，银行暴利税将增加超过20亿欧元的财政收入。")
    cands = [restating, telling]
    ordered = rerank(cands, weights, term_finder(weights), question=question)
    assert [c.key for c, _ in ordered] == [2, 1]
    assert [c.key for c, _ in rerank(cands, weights, words, question=question)] == [2, 1]
    monkeypatch.setattr(rank, "SLOT_WEIGHT", 0.0)
    monkeypatch.setattr(rank, "COPULA_WEIGHT", 0.0)
    ordered = rerank(cands, weights, term_finder(weights), question=question)
    assert [c.key for c, _ in ordered] == [1, 2]


def test_a_keyword_search_has_no_slot_to_fill(monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval import rank
    from retrieval.rank import term_finder

    weights = {"暴利税": 1.0, "欧元": 1.0}
    cands = [Candidate(1, 6.0, "暴利税的欧元。"), Candidate(2, 5.9, "暴利税将带来20亿欧元。")]

    def scores(question: str) -> list[float]:
        return [s for _, s in rerank(cands, weights, term_finder(weights), question=question)]

    keywords, asked = scores("暴利税 欧元"), scores("暴利税将带来多少欧元？")
    monkeypatch.setattr(rank, "SLOT_WEIGHT", 0.0)
    monkeypatch.setattr(rank, "COPULA_WEIGHT", 0.0)
    assert scores("暴利税 欧元") == keywords
    assert scores("暴利税将带来多少欧元？") != asked  # the question's slot did count


def test_a_sentence_that_asks_is_not_the_best_sentence() -> None:
    from retrieval.rank import term_finder

    # A headline asking the question holds all its words in one sentence; the passage that
    # answers spreads them over two. Asked sentences do not count as the best sentence, so the
    # answering passage ranks first (real passages, news-qa-dev: 「预计艾布拉姆斯主战坦克将在
    # 什么时候运抵乌克兰？」).
    weights = {"艾布拉姆斯": 3.0, "坦克": 1.0, "运抵": 2.0, "乌克兰": 1.0}
    asking = Candidate(1, 6.0, "美援乌主战坦克对付俄军？艾布拉姆斯坦克何时运抵乌克兰？")
    telling = Candidate(
        2, 6.0, "五角大楼官员说，首批艾布拉姆斯坦克将在初秋运抵。乌克兰军队正在接受训练。"
    )

    class PassageByPassage(TermFinder):  # the path taken when no term matrix can be built
        def matrix(
            self, texts: Sequence[str], also: Sequence[str] = (), simplified: object = ()
        ) -> None:
            return None

    for finder in (term_finder(weights), PassageByPassage(weights)):
        assert [c.key for c, _ in rerank([asking, telling], weights, finder)] == [2, 1]
    # Without the question mark the headline's sentence is the best one again.
    stated = Candidate(1, 6.0, "美援乌主战坦克对付俄军。艾布拉姆斯坦克何时运抵乌克兰。")
    ordered = rerank([stated, telling], weights, term_finder(weights))
    assert [c.key for c, _ in ordered] == [1, 2]


def test_the_sentence_before_lends_its_terms_to_the_answer_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from retrieval import rank
    from retrieval.rank import term_finder

    # 「国家能源集团在湖南的投资金额是多少？」: the answer sentence names neither the group nor
    # the province; the sentence before it names the group. In the other passage the group
    # is named only after the sentence about the investment, in another story.
    weights = {"国家能源集团": 3.0, "湖南": 1.0, "投资": 2.0, "金额": 1.0}
    after = Candidate(1, 6.0, "湖南投资金额公布。另据报道，国家能源集团发布年报。")
    before = Candidate(2, 5.9, "国家能源集团董事长一行到访。在湖南投资金额达123.89亿元。")
    cands = [after, before]

    class PassageByPassage(TermFinder):
        def matrix(
            self, texts: Sequence[str], also: Sequence[str] = (), simplified: object = ()
        ) -> None:
            return None

    for finder in (term_finder(weights), PassageByPassage(weights)):
        assert [c.key for c, _ in rerank(cands, weights, finder)] == [2, 1]
    monkeypatch.setattr(rank, "SENTENCE_CONTEXT_SHARE", 0.0)
    assert [c.key for c, _ in rerank(cands, weights, term_finder(weights))] == [1, 2]
