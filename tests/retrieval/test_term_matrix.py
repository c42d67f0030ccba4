"""retrieval.term_matrix: the question terms of every sentence of many passages at once."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.folding import _fold, fold
from retrieval.rank import TermFinder, rerank, term_finder
from retrieval.records import Candidate
from retrieval.term_matrix import sentence_ends, term_matrix

PASSAGES = [
    "乐山农商银行向亚庆农牧发放贷款。农商银行还支持了其他企业！",
    "銀行貸款增長，ＧＤＰ上升２％。",  # Traditional and full-width: found after folding
    "他说：“我们会继续努力。”随后离开…次日返回",
    "",
    "哈哈哈，银行",
]
TERMS = ["农商", "银行", "#贷款", "gdp", "2%", "哈哈", "返回", "努力", "继续努力", "说"]


def _per_passage(finder: TermFinder, text: str) -> list[set[str]]:
    return [terms for _, terms in finder.sentences(text)]


def test_each_sentence_holds_the_terms_a_sentence_by_sentence_search_finds() -> None:
    finder = term_finder(TERMS)
    matrix = finder.matrix(PASSAGES)
    assert matrix is not None
    ends = [*matrix.starts[1:].tolist(), len(matrix.holds)]
    for p, text in enumerate(PASSAGES):
        rows = matrix.holds[matrix.starts[p] : ends[p]]
        got = [{finder.terms[c] for c in np.flatnonzero(row)} for row in rows]
        expected = _per_passage(finder, text)
        # whitespace-only and empty sentences stay as rows without terms
        assert [s for s in got if s] == [s for s in expected if s]
        assert matrix.folded[p] == _fold(text)  # uncached: each piece is its own fold


def test_overlapping_and_repeated_occurrences_are_all_seen() -> None:
    matrix = term_matrix(["哈哈哈。哈", "xx哈哈"], ["哈哈", "哈"])
    assert matrix is not None
    assert matrix.holds.tolist() == [[True, True], [False, True], [True, True]]


def test_a_term_is_held_only_by_a_sentence_that_contains_all_of_it() -> None:
    # 「力。我」 would span two sentences: no sentence holds it
    matrix = term_matrix(["继续努力。我们"], ["力。我", "努力", "我们"])
    assert matrix is not None
    assert matrix.holds.tolist() == [[False, True, False], [False, False, True]]


def test_every_passage_has_rows_and_passage_terms_union_its_sentences() -> None:
    matrix = term_matrix(["", "甲。乙。", ""], ["甲", "乙"])
    assert matrix is not None
    assert matrix.starts.tolist() == [0, 1, 3]
    assert matrix.passage_terms().tolist() == [[False, False], [True, True], [False, False]]
    best = matrix.best_sentence(np.array([0.0, 0.25, 0.5, 0.0]))
    assert best.tolist() == [0.0, 0.5, 0.0]


def test_text_holding_the_separator_is_left_to_the_passage_by_passage_path() -> None:
    assert term_matrix(["a\x1fb"], ["a"]) is None
    assert term_matrix([], ["a"]) is None


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("甲。乙！", [2, 4]),
        ("他说：“好。”然后", [7]),
        ("共3.5亿元. 完", [7]),
        ("等等...然后", [5]),
        ("没有句号", []),
        ("", []),
    ],
)
def test_sentence_ends_in_folded_text(text: str, ends: list[int]) -> None:
    codes = np.frombuffer(fold(text).encode("utf-32-le"), np.uint32)
    assert sentence_ends(codes).tolist() == ends


def test_rerank_scores_the_same_with_and_without_the_matrix() -> None:
    weights = {t: float(i + 1) for i, t in enumerate(TERMS)}
    cands = [Candidate(i, 5.0 - i, t) for i, t in enumerate(PASSAGES)]

    class PassageByPassage(TermFinder):
        def matrix(self, texts, also=(), simplified=()):  # type: ignore[no-untyped-def]
            return None

    fast = rerank(cands, weights, term_finder(weights), ["a", "a", "b", "c", "b"], "农商银行?")
    slow = rerank(cands, weights, PassageByPassage(weights), ["a", "a", "b", "c", "b"],
                  "农商银行?")
    assert [c.key for c, _ in fast] == [c.key for c, _ in slow]
    assert [s for _, s in fast] == pytest.approx([s for _, s in slow])


def test_needles_beyond_the_basic_plane_are_found_too() -> None:
    matrix = term_matrix(["去𠮷野家吃饭。𠮷野家好", "无"], ["𠮷野家", "吃饭"])
    assert matrix is not None
    assert matrix.holds.tolist() == [[True, True], [True, False], [False, False]]


def test_asking_rows_are_the_sentences_ending_in_a_question_mark() -> None:
    from retrieval.text import asks, split_sentences

    texts = [
        "特斯拉为何建数据中心？公司表示，数据存储本地化。",
        "记者问：“谁被扣押了？”他没有回答",  # the mark before a closing quote
        "问题在哪里 ? 无",  # ASCII mark and spaces
        "结尾仍在问吗？",
        "",
    ]
    matrix = term_matrix(texts, ["数据"])
    assert matrix is not None
    ends = [*matrix.starts[1:].tolist(), len(matrix.holds)]
    for p, text in enumerate(texts):
        rows = matrix.asking[matrix.starts[p] : ends[p]].tolist()
        expected = [asks(s) for s in split_sentences(fold(text))]
        assert rows[: len(expected)] == expected
        assert not any(rows[len(expected) :])  # trailing whitespace rows never ask
    assert matrix.asking.tolist().count(True) == 4


def test_texts_of_spaces_alone_have_rows_that_do_not_ask() -> None:
    matrix = term_matrix(["", "  ", "”"], ["数据"])
    assert matrix is not None
    assert not matrix.asking.any()
    assert len(matrix.asking) == len(matrix.holds)


def test_the_extra_needles_are_found_where_they_stand_without_becoming_terms() -> None:
    texts = ["银行说是。", "是银行"]
    matrix = term_matrix(texts, ["银行"], ["是", "说是", "无"])
    assert matrix is not None
    assert matrix.holds.shape[1] == 1  # the terms alone are columns
    joined = matrix.text
    assert [a.tolist() for a in matrix.also_at] == [
        [i for i, c in enumerate(joined) if c == "是"], [joined.index("说是")], []
    ]
    assert matrix.text == "\x1f".join(fold(t) for t in texts)


def test_the_folded_pieces_are_remembered_as_the_passages_folds() -> None:
    """The answer's steps fold the best candidates again; they get the pieces back, which
    are what folding each passage alone gives (checked uncached)."""
    from retrieval import folding

    texts = ["樂山農商銀行發放貸款。", "ＧＤＰ增長３％…", "普通的句子"]
    matrix = term_matrix(texts, ["银行"])
    assert matrix is not None
    for text, piece in zip(texts, matrix.folded, strict=True):
        assert folding._remembered[text] == piece == _fold(text)
        assert fold(text) == piece


def test_remembered_folds_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval import folding

    monkeypatch.setattr(folding, "_REMEMBERED", 4)
    monkeypatch.setattr(folding, "_remembered", folding.OrderedDict())
    texts = [f"第{i}段" for i in range(6)]
    folding.remember_folds(texts, [f"f{i}" for i in range(6)])
    assert list(folding._remembered) == texts[2:]  # the oldest dropped first
    assert fold("第5段") == "f5" and fold("第0段") == "第0段"
    folding.remember_folds(["长" * 2000], ["x"])  # past the cached length: never kept
    assert "长" * 2000 not in folding._remembered


def test_texts_whose_script_folding_keeps_skip_the_converter_with_the_same_matrix() -> None:
    """With each passage's stored `keeps_script`, the matrix is the one folding every
    passage gives; a Traditional passage among them is still converted."""
    from retrieval.folding import keeps_script

    flags = [keeps_script(t) for t in PASSAGES]
    assert flags == [True, False, True, True, True]  # 「銀行貸款增長」 is converted
    finder = term_finder(TERMS)
    plain = finder.matrix(PASSAGES)
    skipping = finder.matrix(PASSAGES, simplified=flags)
    assert plain is not None and skipping is not None
    assert skipping.folded == plain.folded == [_fold(t) for t in PASSAGES]
    assert skipping.holds.tolist() == plain.holds.tolist()
    assert skipping.text == plain.text
    all_kept = finder.matrix(PASSAGES, simplified=[True] * len(PASSAGES))
    assert all_kept is not None and "銀行" in all_kept.folded[1]  # the flag is trusted
