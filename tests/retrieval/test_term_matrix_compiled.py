"""retrieval.term_matrix_compiled: the compiled passes give exactly what numpy's give."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import numpy as np
import pytest

from retrieval import term_matrix as tm
from retrieval.term_matrix import TermMatrix, load_compiled_rerank, longest_shared, term_matrix

#: End marks, closing marks, dots, spaces, question marks (full-width and ASCII), a
#: character beyond the Basic Multilingual Plane, and a few words' characters.
ALPHABET = [*"乐山银行贷款了的。！？!?；;”’」』）)]】\"'. …  \u3000ＡａB𠮷\n", "...", "银行"]


T = TypeVar("T")


@pytest.fixture
def compiled() -> Iterator[None]:
    """The compiled passes loaded for the test, and unloaded after it."""
    assert load_compiled_rerank()
    yield
    tm._compiled = None


def _both(texts: list[str], needles: list[str], also: list[str]) -> tuple[TermMatrix, TermMatrix]:
    kernels = tm._compiled
    tm._compiled = None
    reference = term_matrix(texts, needles, also)
    tm._compiled = kernels
    compiled = term_matrix(texts, needles, also)
    assert reference is not None and compiled is not None
    return reference, compiled


def _piece(rng: random.Random, text: str) -> str:
    start = rng.randrange(len(text))
    return text[start : start + rng.randint(1, 4)]


def test_random_texts_give_the_same_matrix_both_ways(compiled: None) -> None:
    rng = random.Random(7)
    for _ in range(500):
        texts = [
            "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 25)))
            for _ in range(rng.randint(1, 5))
        ]
        joined = "".join(texts) or "银行"
        needles = list(
            dict.fromkeys([*(_piece(rng, joined) for _ in range(rng.randint(1, 5))), "", "贷款"])
        )
        also = [_piece(rng, joined) for _ in range(rng.randint(0, 3))]
        reference, fast = _both(texts, needles, also)
        context = (texts, needles, also)
        assert fast.ends.tolist() == reference.ends.tolist(), context
        assert fast.starts.tolist() == reference.starts.tolist(), context
        assert fast.holds.tolist() == reference.holds.tolist(), context
        assert fast.asking.tolist() == reference.asking.tolist(), context
        # where the extra needles stand, as sets: numpy lists a one-character needle's
        # places grouped by the character after it
        assert [sorted(a.tolist()) for a in fast.also_at] == [
            sorted(a.tolist()) for a in reference.also_at
        ], context


def test_the_longest_shared_phrase_is_the_same_both_ways(compiled: None) -> None:
    rng = random.Random(9)
    letters = "乐山银行贷款的了是。，A1𠮷"
    for _ in range(500):
        texts = [
            "".join(rng.choice(letters) for _ in range(rng.randint(0, 30)))
            for _ in range(rng.randint(1, 6))
        ]
        phrases = [
            "".join(rng.choice(letters[:-3]) for _ in range(rng.randint(1, 8)))
            for _ in range(rng.randint(0, 3))
        ]
        matrix = term_matrix(texts, ["银行"])
        assert matrix is not None
        expected = [longest_shared(phrases, f) for f in matrix.folded]
        assert matrix.longest_shared(phrases) == expected, (texts, phrases)


def test_a_run_never_joins_two_passages_or_two_phrases(compiled: None) -> None:
    matrix = term_matrix(["甲乙丙", "丁戊", "乙丙丁"], ["乙"])
    assert matrix is not None
    assert matrix.longest_shared(["乙丙丁戊"]) == [2, 2, 3]
    assert matrix.longest_shared(["甲乙", "丙丁"]) == [2, 1, 2]
    assert matrix.longest_shared([]) == [0, 0, 0]


def test_the_numpy_passes_serve_when_numba_cannot_load_or_compile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    import retrieval
    from retrieval import term_matrix_compiled

    monkeypatch.setattr(tm, "_compiled", None)
    with monkeypatch.context() as without_numba:  # the kernels' module cannot be imported
        without_numba.delattr(retrieval, "term_matrix_compiled")
        without_numba.setitem(sys.modules, "retrieval.term_matrix_compiled", None)
        assert not load_compiled_rerank()
        assert tm._compiled is None

    def failing(*_: object) -> None:
        raise RuntimeError("LLVM could not compile")

    monkeypatch.setattr(term_matrix_compiled, "sentence_bounds", failing)
    assert not load_compiled_rerank()
    assert tm._compiled is None
    matrix = term_matrix(["乐山银行。贷款？"], ["银行"])
    assert matrix is not None and matrix.holds.tolist() == [[True], [False]]
    assert np.array_equal(matrix.asking, [False, True])


#: Full-width forms, capitals, Traditional characters, NFKC expansions and characters
#: folded by their neighbours (a combining mark, a vowel jamo, a final sigma).
FOLD_ALPHABET = list("乐山銀行農商，。“”《》…℃①ⅫＡＺａ０　ABzΣσİ\u0301\u1161\u1100가𠮷\n")


def test_fold_codes_folds_as_fold_keeping_script_or_declines(compiled: None) -> None:
    from retrieval.folding import char_folds, fold_keeping_script
    from retrieval.term_matrix_compiled import fold_codes

    folds = char_folds()
    rng = random.Random(23)
    for _ in range(1000):
        text = "".join(rng.choice(FOLD_ALPHABET) for _ in range(rng.randint(0, 30)))
        codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        out, folded = fold_codes(codes, folds.start, folds.length, folds.codes)
        foldable = all(ord(c) <= 0xFFFF and folds.length[ord(c)] >= 0 for c in text)
        assert folded == foldable, ascii(text)
        if folded:
            assert out.tobytes().decode("utf-32-le") == fold_keeping_script(text), ascii(text)


def test_candidates_are_folded_the_same_both_ways(compiled: None) -> None:
    """Passages marked as keeping their script and others, Traditional among them, folded
    by the compiled pass and by `fold`: the same pieces, whatever the mix."""
    rng = random.Random(29)
    for _ in range(300):
        texts = [
            "".join(rng.choice(FOLD_ALPHABET) for _ in range(rng.randint(1, 20)))
            for _ in range(rng.randint(1, 6))
        ]
        simplified = [rng.random() < 0.5 for _ in texts]
        kernels = tm._compiled
        tm._compiled = None
        reference = tm._folded_pieces(texts, simplified)
        tm._compiled = kernels
        assert tm._folded_pieces(texts, simplified) == reference, ascii(texts)


def _without_kernels(compute: Callable[..., T], *args: Any) -> T:
    """`compute(*args)` with the compiled passes unloaded (the numpy reference)."""
    kernels = tm._compiled
    tm._compiled = None
    try:
        return compute(*args)
    finally:
        tm._compiled = kernels


def test_coverages_are_the_same_both_ways(compiled: None) -> None:
    """Sentence, passage and article coverage of random passages (asking sentences,
    passages of one article, terms held in the sentence before) by the loop and by numpy."""
    from retrieval.rank import _matrix_parts

    rng = random.Random(31)
    for _ in range(300):
        texts = [
            "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 25)))
            for _ in range(rng.randint(1, 6))
        ]
        pieces = (_piece(rng, "乐山银行贷款了的") for _ in range(rng.randint(1, 5)))
        terms = list(dict.fromkeys(pieces))
        weights = {t: rng.choice([0.0, 0.5, 1.0, 2.5]) for t in terms}
        groups = [rng.choice("abc") for _ in texts]
        matrix = term_matrix(texts, terms)
        assert matrix is not None
        fast = _matrix_parts(matrix, terms, weights, groups, [])
        reference = _without_kernels(_matrix_parts, matrix, terms, weights, groups, [])
        assert np.allclose(fast, reference, rtol=0, atol=1e-12), (texts, terms, groups)


def test_slot_fills_are_the_same_both_ways(compiled: None) -> None:
    """`SlotTest.passage_fills` by the loop and by numpy, for slots on either side, both
    or one, over random passages with clause ends, quotes, copulas and question marks."""
    from retrieval.question_slot import SlotTest

    letters = [*"健全机制主题为是：，。？“”的乐山\n", "健全", "机制", "主题"]
    rng = random.Random(37)
    for _ in range(400):
        texts = [
            "".join(rng.choice(letters) for _ in range(rng.randint(0, 20)))
            for _ in range(rng.randint(1, 6))
        ]
        slot = SlotTest(rng.choice([("健全", "机制"), ("主题", ""), ("", "机制"), ("健全", "")]))
        matrix = term_matrix(texts, ["乐山"], slot.needles)
        assert matrix is not None
        shares, copulas = slot.passage_fills(matrix)
        expected = _without_kernels(slot.passage_fills, matrix)
        assert shares.tolist() == expected[0].tolist(), (texts, slot.needles)
        assert copulas.tolist() == expected[1].tolist(), (texts, slot.needles)
