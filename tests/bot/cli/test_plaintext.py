from bot.cli.plaintext import display_width, wrap


def test_chinese_lines_fit_the_terminal_width() -> None:
    text = "乐山农商银行成功向乐山市亚庆农牧科技有限责任公司发放380万元农业转型贷款。" * 3
    lines = wrap(text, 40, indent="  ")
    assert all(display_width(line) <= 40 for line in lines)
    assert "".join(line.strip() for line in lines) == text
    assert all(line.startswith("  ") for line in lines)


def test_latin_words_stay_whole() -> None:
    lines = wrap("Intel XeSS 1.2 supports dynamic resolution scaling now", 20)
    assert lines == ["Intel XeSS 1.2", "supports dynamic", "resolution scaling", "now"]
    assert display_width("中a") == 3
