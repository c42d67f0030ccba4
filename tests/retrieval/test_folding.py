"""`retrieval.folding`: every path of `fold` equals `t2s(NFKC(text).lower())`."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from retrieval.folding import (
    _DECOMPOSED_END,
    _SAFE_CHARS,
    _fold,
    _t2s,
    char_folds,
    fold,
    fold_keeping_script,
    nfkc_piecewise,
)


def reference_fold(text: str) -> str:
    """The definition `fold` must match: whole-text NFKC, lowercase, then OpenCC t2s."""
    return _t2s().convert(unicodedata.normalize("NFKC", text).lower())


def test_fold_applies_nfkc_lowercase_and_simplified() -> None:
    assert fold("臺灣ＡＢＣ１２３發展") == "台湾abc123发展"


def test_fold_matches_full_nfkc_on_compatibility_characters() -> None:
    """fold normalizes only the runs NFKC may change; the result must equal whole-text NFKC."""
    texts = [
        "２０２３年，ＧＤＰ增长…",
        "温度２５℃，面积１０㎡",
        "Ⅳ期\u00a0工程（试行）①",
        "純文字：ﬁ ﹝注﹞ ｶﾀｶﾅ",
        "plain ascii",
        "马斯克的𝕏平台，e\u0301与か\u3099，ﻼ和ᄀ\u1161\u11a8",  # beyond those blocks
    ]
    for text in texts:
        assert fold(text) == reference_fold(text), text
    assert fold("２０２３年，ＧＤＰ") == "2023年,gdp"


def test_fold_normalizes_rare_characters_piecewise_exactly_as_whole_text_nfkc() -> None:
    """Runs of characters outside the usual blocks are normalized with the character before
    them; combining marks, Hangul jamo, kana voicing marks, math letters and presentation
    forms among ASCII and Chinese must come out as whole-text NFKC would make them."""
    rng = random.Random(5)
    pool = [chr(c) for c in range(0x20, 0x7F)] + list("中国乐山银行，。、“”《》【】〇")
    pool += list("\u0301\u0308\u0323\u0338\u1100\u1161\u11a8\uac00\u302a𝕏𝐀ﷺﻼ\u0345")
    pool += list("\u0f73\u0e33①㍿ｶﾞ\u3099\u309aか\u00c5\u212b\u0958\u2126\u1e9b\u0344")
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 40)))
        whole = unicodedata.normalize("NFKC", text)
        assert nfkc_piecewise(text) == whole, text
        assert fold(text) == _t2s().convert(whole.lower()), text


def test_fold_of_full_width_text_equals_nfkc_and_is_stable_when_cached() -> None:
    # Full-width punctuation, digits, letters and the ideographic space: the common case.
    text = "２０２５年６月，Ａ股（上證）　漲幅達３．５％！"
    reference = reference_fold(text)
    assert fold(text) == reference == "2025年6月,a股(上证) 涨幅达3.5%!"
    assert fold(text) == reference  # second call (cached) gives the same
    long_text = text * 100  # past the cached length: folded directly
    assert fold(long_text) == reference * 100


def test_the_characters_nfkc_is_split_around_never_combine_with_what_precedes_them() -> None:
    """Every character of `_SAFE_CHARS` is left alone by NFKC, has combining class 0 and is
    never the second character of a canonical composition: cutting a text before one of
    them cannot change what NFKC makes of it."""
    safe = re.compile(f"[{_SAFE_CHARS}]")
    seconds = set()
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    for code in range(0x10000):
        char = chr(code)
        if safe.fullmatch(char):
            assert unicodedata.normalize("NFKC", char) == char, hex(code)
            assert unicodedata.combining(char) == 0, hex(code)
            assert char not in seconds, hex(code)


def test_each_shortcut_of_fold_gives_the_plain_definition() -> None:
    """Full-width forms narrowed, runs of NFKC-changed characters normalized, lowercase only
    where a character changes: texts mixing every kind, at random, including the runs whose
    NFKC form has capitals (「℃」 → 「°C」, 「Ⅻ」 → 「XII」, 「™」) and characters `str.lower`
    treats specially (a final 「Σ」, 「İ」), come out as the plain definition makes them."""
    rng = random.Random(11)
    pool = list("中国乐山銀行農商，。、“”《》！？…℃㎡①Ⅻ™№㈱ＡＺａｚ０９　ﾟ\u00a0\u00bd")
    pool += list("ABCxyzΣσΑİßǅ\u0301 .\u2026\u2122\ufb01𝕏𐐀")
    for _ in range(4000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert _fold(text) == reference_fold(text), ascii(text)


def test_fold_leaves_text_alone_where_nothing_needs_folding() -> None:
    """No capitals, no full-width forms, no NFKC change: only the script is converted."""
    assert fold("乐山农商银行发放贷款。") == "乐山农商银行发放贷款。"
    assert fold("樂山農商銀行發放貸款") == "乐山农商银行发放贷款"
    assert fold("ΣΟΦΙΑ Σ") == "σοφια σ"  # lowered as a whole: the final sigma rule applies
    assert fold("") == ""


def test_common_text_is_folded_without_the_general_normalizer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Full-width forms, 「…」「℃」 and capitals are handled by the table; only characters
    beyond its blocks reach `nfkc_piecewise` (which would cost a long text milliseconds)."""
    import retrieval.folding as folding

    def refuse(text: str) -> str:
        raise AssertionError(f"general normalizer reached for {text!r}")

    monkeypatch.setattr(folding, "nfkc_piecewise", refuse)
    text = "２０２５年６月，ＧＤＰ增长３．５％…气温２５℃，Ⅻ号　樂山"
    assert _fold(text) == reference_fold(text) == "2025年6月,gdp增长3.5%...气温25°c,xii号 乐山"
    monkeypatch.undo()
    assert _fold("e\u0301𝕏") == reference_fold("e\u0301𝕏")



def test_keeps_script_says_whether_folding_converts_any_of_the_script() -> None:
    from retrieval.folding import fold_keeping_script, keeps_script

    assert keeps_script("乐山农商银行发放贷款，ＧＤＰ增长３％。")  # width and case only
    assert fold_keeping_script("ＧＤＰ增長") == "gdp增長"
    assert not keeps_script("樂山農商銀行")
    assert not keeps_script("乐山银行發放")  # one Traditional character is enough
    assert keeps_script("")


def _char_by_char(text: str) -> str | None:
    """`text` folded a character at a time by `char_folds`, or None if one cannot be."""
    folds = char_folds()
    out = []
    for char in text:
        code = ord(char)
        if code > 0xFFFF or folds.length[code] < 0:
            return None
        first = int(folds.start[code])
        out += [chr(c) for c in folds.codes[first : first + int(folds.length[code])]]
    return "".join(out)


#: Characters NFKC or lowercase treat by their neighbours, and neighbours they act on.
_TRICKY = list("…℃㎡①Ⅻ™ﬁ㈱ＡＺａ０　ΣσΑİßǅ乐山銀行，。“”《》A z.\u00a0\u00bd\uf900")
_TRICKY += list("\u0301\u0308\u0345\u1100\u1161\u11a8\uac00か\u3099\u0b47\u0b3e\u0f73")


def test_char_folds_fold_any_text_of_their_characters_as_fold_does() -> None:
    """Random texts of random characters of the Basic Multilingual Plane and of characters
    NFKC composes, reorders or expands: wherever each character has a fold of its own,
    the text's fold is theirs one after the other."""
    rng = random.Random(17)
    checked = 0
    for _ in range(6000):
        text = "".join(
            rng.choice(_TRICKY) if rng.random() < 0.6 else chr(rng.randrange(0xE000, 0x10000)
            if rng.random() < 0.3 else rng.randrange(0x20, 0xD800))
            for _ in range(rng.randint(1, 12))
        )
        pieces = _char_by_char(text)
        if pieces is not None:
            checked += 1
            assert pieces == unicodedata.normalize("NFKC", text).lower(), ascii(text)
            assert pieces == fold_keeping_script(text), ascii(text)
    assert checked > 1000


def test_char_folds_leave_to_the_general_way_what_folds_by_its_neighbours() -> None:
    folds = char_folds()
    for char in "\u0301\u0345\u1161\u11a8\u3099\u0b3eΣ\ud800":
        assert folds.length[ord(char)] == -1, ascii(char)
    for char, folded in [("…", "..."), ("℃", "°c"), ("Ａ", "a"), ("乐", "乐"), ("İ", "i\u0307")]:
        first = int(folds.start[ord(char)])
        got = "".join(chr(c) for c in folds.codes[first : first + int(folds.length[ord(char)])])
        assert got == folded, ascii(char)


def test_no_character_beyond_the_scanned_planes_is_composed() -> None:
    """`char_folds` looks for the second characters of compositions below
    `_DECOMPOSED_END`: nothing above it has a canonical decomposition."""
    for code in range(_DECOMPOSED_END, 0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        assert not parts or parts[0].startswith("<"), hex(code)
