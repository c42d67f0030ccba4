from retrieval.text import clean_spacing, fold, has_cjk


def test_spaces_between_chinese_characters_are_removed() -> None:
    assert clean_spacing("6月 9日至10日") == "6月9日至10日"
    assert clean_spacing("全市 2025 年二季度") == "全市2025年二季度"
    assert clean_spacing("将 成 为 全 球 首 个") == "将成为全球首个"


def test_spaces_inside_latin_and_number_runs_are_kept() -> None:
    assert clean_spacing("XeSS 1.2 and 10 GW") == "XeSS 1.2 and 10 GW"
    assert clean_spacing("New   York") == "New York"


def test_fold_applies_nfkc_lowercase_and_simplified() -> None:
    assert fold("臺灣ＡＢＣ１２３發展") == "台湾abc123发展"


def test_has_cjk() -> None:
    assert has_cjk("abc乐山")
    assert not has_cjk("abc 123 ！")
