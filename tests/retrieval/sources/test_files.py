"""Readers and every kind of bad input: a clear reason naming the file (and line)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from retrieval.sources import decode, expand, read_file
from tests.conftest import SEED_PAGE


def test_seed_page_is_read_as_five_articles() -> None:
    result = read_file(SEED_PAGE)
    assert result.errors == []
    assert len(result.articles) == 5
    assert all(a.source == SEED_PAGE.name for a in result.articles)


def test_jsonl_keeps_external_ids_and_fields(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    records = [
        {"id": "a1", "title": "标题一", "date": "2023-08-16", "url": "https://e.x/1",
         "source": "某报", "text": "第一段。\n第二段。"},
        {"content": "原标题：乐山召开推进会    本报讯 会议召开了。"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    result = read_file(path)
    assert result.errors == []
    first, second = result.articles
    assert (first.id, first.title, first.date, first.url, first.source) == (
        "a1", "标题一", "2023-08-16", "https://e.x/1", "某报")
    assert [p.text for p in first.paragraphs] == ["第一段。", "第二段。"]
    assert second.title == "乐山召开推进会"
    assert second.paragraphs[0].text == "本报讯会议召开了。"
    assert second.source == "news.jsonl" and len(second.id) == 16


def test_gzipped_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "g1", "text": "压缩的新闻。"}, ensure_ascii=False) + "\n")
    assert [a.id for a in read_file(path).articles] == ["g1"]


def test_malformed_line_and_record_without_text_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    lines = ['{"id": "ok", "text": "好的。"}', "{not json", '{"id": "x", "title": "无正文"}', "[1]"]
    path.write_text("\n".join(lines) + "\n")
    result = read_file(path)
    assert [a.id for a in result.articles] == ["ok"]
    reasons = [str(e) for e in result.errors]
    assert reasons[0].startswith(f"{path}:2: malformed JSON")
    assert reasons[1] == f"{path}:3: record has no 'text' (or 'content') string"
    assert reasons[2] == f"{path}:4: expected a JSON object, got list"


def test_empty_and_binary_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert str(read_file(empty).errors[0]) == f"{empty}: empty file"
    assert "binary file" in str(read_file(binary).errors[0])
    empty_jsonl = tmp_path / "empty.jsonl"
    empty_jsonl.write_text("\n\n")
    assert "empty file" in str(read_file(empty_jsonl).errors[0])


def test_gbk_and_bom_files_are_decoded(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("乐山新闻\n\n乐山农商银行发放贷款。".encode("gbk"))
    bom = tmp_path / "bom.md"
    bom.write_bytes("\ufeff# 标题\n\n正文。".encode())
    article = read_file(gbk).articles[0]
    assert (article.title, article.paragraphs[0].text) == ("乐山新闻", "乐山农商银行发放贷款。")
    assert read_file(bom).articles[0].title == "标题"
    assert decode("中文".encode("gb18030")) == "中文"


def test_plain_article_joins_wrapped_lines(tmp_path: Path) -> None:
    path = tmp_path / "2024-03-05-note.md"
    path.write_text("# 乐山 新闻\n\n第一行接着\n第二行。\n\nNew York\ncity.\n", "utf-8")
    article = read_file(path).articles[0]
    assert article.title == "乐山新闻"
    assert [p.text for p in article.paragraphs] == ["第一行接着第二行。", "New York city."]


def test_missing_path_and_unknown_extension(tmp_path: Path) -> None:
    pdf = tmp_path / "paper.docx"
    pdf.write_bytes(b"%PDF")
    found = dict(expand([tmp_path / "nope.txt", pdf]))
    assert found[tmp_path / "nope.txt"] == "no such file or directory"
    assert "unsupported file type '.docx'" in str(found[pdf])


def test_folders_are_read_recursively_skipping_other_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("标题\n\n正文。", "utf-8")
    (tmp_path / "a" / "README.png").write_bytes(b"%PDF")
    (tmp_path / ".hidden.txt").write_text("标题\n\n正文。", "utf-8")
    assert [p.name for p, _ in expand([tmp_path])] == ["x.txt"]


def test_large_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": "乐山新闻。" * 2000}, ensure_ascii=False)
    with path.open("w", encoding="utf-8") as f:
        for i in range(2100):
            f.write(line.replace("乐山新闻", f"第{i}条") + "\n")
    assert path.stat().st_size > 50_000_000
    result = read_file(path)
    assert len(result.articles) == 2100 and result.errors == []
