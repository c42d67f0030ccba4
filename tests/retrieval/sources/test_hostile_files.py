"""Hostile and broken files: one error (or warning) per problem, with file and line; bounded
memory; everything else in the file still read."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from retrieval.sources import files, iter_file, read_file


def _line(article_id: str, text: str) -> str:
    return json.dumps({"id": article_id, "text": text}, ensure_ascii=False)


def test_deeply_nested_line_is_an_error_and_the_others_are_read(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    deep = "[" * 200_000 + "]" * 200_000
    path.write_text("\n".join([_line("a", "第一条。"), deep, _line("b", "第二条。")]) + "\n")
    result = read_file(path)
    assert [a.id for a in result.articles] == ["a", "b"]
    assert [str(e) for e in result.errors] == [f"{path}:2: JSON nested too deeply"]


def test_overlong_line_is_skipped_without_being_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_LINE_BYTES", 1024)
    path = tmp_path / "long.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write((_line("a", "短。") + "\n").encode())
        handle.write(b"0" * 100_000 + b"\n")
        handle.write((_line("b", "也短。") + "\n").encode())
        handle.write(b"\x00" * 50_000)  # no newline at all at the end
    result = read_file(path)
    assert [a.id for a in result.articles] == ["a", "b"]
    assert [(e.line, e.reason) for e in result.errors] == [
        (2, "line longer than 1,024 bytes; skipped"),
        (4, "line longer than 1,024 bytes; skipped"),
    ]


def test_after_twenty_errors_the_rest_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    lines = ["{bad"] * 1000 + [_line("ok", "好。")]
    path.write_text("\n".join(lines))
    result = read_file(path)
    assert [a.id for a in result.articles] == ["ok"]
    assert len(result.errors) == files.MAX_ERRORS_SHOWN
    assert result.errors[-1].line == files.MAX_ERRORS_SHOWN
    assert result.more_errors == 1000 - files.MAX_ERRORS_SHOWN


def test_large_jsonl_comes_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    count = files.CHUNK_ARTICLES * 2 + 5
    path.write_text("\n".join(_line(str(n), f"第{n}条。") for n in range(count)))
    sizes = [len(chunk.articles) for chunk in iter_file(path)]
    assert sizes == [files.CHUNK_ARTICLES, files.CHUNK_ARTICLES, 5]


def test_gbk_jsonl_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.jsonl"
    path.write_bytes((_line("g", "乐山农商银行发放贷款。") + "\n").encode("gbk"))
    result = read_file(path)
    assert result.errors == [] and result.warnings == []
    assert result.articles[0].paragraphs[0].text == "乐山农商银行发放贷款。"


def test_gbk_bad_byte_is_replaced_with_a_warning_naming_the_line(tmp_path: Path) -> None:
    gbk = "标题\n\n乐山农商银行向公司发放贷款。\n第二段内容。".encode("gbk")
    bad = gbk.replace("第二段".encode("gbk"), b"\xff" + "第二段".encode("gbk"))
    text = tmp_path / "bad.txt"
    text.write_bytes(bad)
    result = read_file(text)
    assert result.errors == []
    assert [str(w) for w in result.warnings] == [
        f"{text}:4: bytes that are not valid gb18030 text were replaced by U+FFFD"
    ]
    body = result.articles[0].text
    assert "乐山农商银行向公司发放贷款。" in body and "\ufffd第二段内容。" in body

    jsonl = tmp_path / "bad.jsonl"
    good = (_line("a", "乐山新闻。") + "\n").encode("gbk")
    broken = (_line("b", "成都新闻。") + "\n").encode("gbk").replace(b'"b"', b'"\xffb"')
    jsonl.write_bytes(good + broken)
    result = read_file(jsonl)
    assert [a.id for a in result.articles] == ["a", "\ufffdb"]
    assert [w.line for w in result.warnings] == [2]


def test_too_large_text_file_is_one_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_TEXT_BYTES", 2**20)
    path = tmp_path / "huge.txt"
    path.write_text("新闻" * 2**19)
    result = read_file(path)
    assert result.articles == []
    assert [str(e) for e in result.errors] == [
        f"{path}: 3 MiB is too large for one page or article (limit 1 MiB); "
        "split it, or use JSON Lines"
    ]
