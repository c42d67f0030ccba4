"""Text normalization shared by parsers and the tokenizer.

Two different jobs live here, on purpose side by side so they never drift apart:

* `clean_spacing` repairs what layout extraction does to Chinese text (stray spaces between
  CJK characters) without touching spaces that matter inside Latin or number runs.
* `fold` is the case/width/script folding applied before tokenizing, so that a query typed in
  Traditional characters, full-width digits or capitals finds the same tokens as the index.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# CJK ideographs, CJK punctuation and full-width forms: the characters between which a space is
# never meaningful in Chinese text.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u201c\u201d\u2018\u2019"
_SPACE_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=\S)")
_SPACE_BEFORE_CJK = re.compile(rf"(?<=\S)[ \t\u00a0\u3000]+(?=[{_CJK}])")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RUNS_OF_SPACE = re.compile(r"[ \t\u00a0]{2,}")


def clean_spacing(text: str) -> str:
    """Remove spaces next to CJK characters and squeeze the rest.

    「6月 9日」 → 「6月9日」 and 「全市 2025 年」 → 「全市2025年」, while 「10 GW」 or "New York"
    keep their space, because there both neighbours are Latin letters or digits.
    """
    text = _SPACE_AFTER_CJK.sub("", text)
    text = _SPACE_BEFORE_CJK.sub("", text)
    return _RUNS_OF_SPACE.sub(" ", text).strip()


def has_cjk(text: str) -> bool:
    """True when the text contains at least one Chinese character."""
    return _CJK_CHAR.search(text) is not None


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    """The Traditional→Simplified converter (loaded once; OpenCC's C++ core is fast)."""
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """NFKC, lowercase and Traditional→Simplified: the form every token is made from."""
    folded: str = _t2s().convert(unicodedata.normalize("NFKC", text).lower())
    return folded
