from retrieval.passages import pack


def test_passages_never_end_mid_sentence() -> None:
    text = "".join(f"第{i}句话有一些内容。" for i in range(60))
    spans = pack(text, 100)
    assert len(spans) > 1
    for start, end in spans:
        assert end - start <= 100
        assert text[start:end].endswith("。")
    assert "".join(text[s:e] for s, e in spans) == text


def test_an_over_long_sentence_is_cut_at_a_clause_mark() -> None:
    text = "很长的从句，" * 50 + "结束。"
    spans = pack(text, 100)
    assert all(e - s <= 100 for s, e in spans)
    assert text[spans[0][0] : spans[0][1]].endswith("，")
    assert "".join(text[s:e] for s, e in spans) == text


def test_unbroken_text_is_cut_hard_at_the_bound() -> None:
    text = "字" * 250
    assert pack(text, 100) == [(0, 100), (100, 200), (200, 250)]


def test_empty_paragraph_has_no_passages() -> None:
    assert pack("   ") == []
