from retrieval.tokenizer import BIGRAM_MARK, Tokenizer, join_short_pieces, stopwords


def test_question_words_and_punctuation_are_dropped() -> None:
    tokens = Tokenizer().tokenize("乐山农商银行向哪家公司发放了贷款？")
    assert "哪家" not in tokens and "？" not in tokens and "了" not in tokens
    assert {"乐山", "银行", "公司", "贷款"} <= set(tokens)


def test_unknown_names_are_findable_from_either_side() -> None:
    tok = Tokenizer()
    for name, context in [
        ("赖淑芳", "市人大常委会主任赖淑芳，市委副书记文甦出席。"),
        ("文甦", "市人大常委会主任赖淑芳，市委副书记文甦出席。"),
        ("钜能", "乐山高新区福建钜能电力10GW高效异质结电池片项目"),
    ]:
        shared = set(tok.tokenize(name)) & set(tok.tokenize(context))
        whole = {t.lstrip(BIGRAM_MARK) for t in shared if len(t.lstrip(BIGRAM_MARK)) >= 2}
        assert any(w in name for w in whole), (name, shared)


def test_traditional_fullwidth_and_case_fold_to_the_same_tokens() -> None:
    tok = Tokenizer()
    assert tok.tokenize("臺灣經濟發展") == tok.tokenize("台湾经济发展")
    assert tok.tokenize("ＸｅＳＳ") == tok.tokenize("xess")


def test_only_punctuation_or_emoji_gives_no_tokens() -> None:
    assert Tokenizer().tokenize("！！？？…… 😀🎉") == []


def test_stopwords_come_from_the_data_file() -> None:
    words = stopwords()
    assert {"什么", "哪个", "多少", "的"} <= words
    assert "乐山" not in words


def test_joins_skip_stopwords_and_long_pieces() -> None:
    stop = frozenset({"了"})
    assert join_short_pieces(["赖", "淑芳"], stop) == ["赖", "淑芳", "赖淑芳"]
    assert join_short_pieces(["发放", "了"], stop) == ["发放"]
    assert join_short_pieces(["人大常委会", "主任"], stop) == ["人大常委会", "主任"]


def test_bigrams_bridge_different_segmentations() -> None:
    tok = Tokenizer()
    assert f"{BIGRAM_MARK}李丰" in set(tok.tokenize("李丰被选为什么职位？")) & set(
        tok.tokenize("选举李丰为广东省侨联主席")
    )
    assert tok.words("乐山新闻") == ["乐山", "新闻"]
