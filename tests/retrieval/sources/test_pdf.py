"""Tests for reading PDF e-paper pages: generated pages against their expected articles,
multi-page editions, and every way a PDF can be unreadable (one clear error, no articles)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from retrieval.sources.files import ReadOptions, read_file

PDF_PAGES = ["p1_two_columns", "p2_three_columns", "p3_beside", "p4_four_columns"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.pages.generate import build
    from tests.pages.stories import CORPUS

    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is missing: the generated pages are built from its stories")
    folder = tmp_path_factory.mktemp("pdf_pages")
    build(folder)
    return folder


def _canvas(path: Path) -> Any:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return Canvas(str(path), pagesize=A4, invariant=True)


@pytest.mark.parametrize("name", PDF_PAGES)
def test_generated_pdf_page_matches_expected(pages: Path, name: str) -> None:
    from tests.pages.compare import compare, load_expected

    path = pages / f"{name}.pdf"
    result = read_file(path)
    assert result.errors == []
    score = compare(name, result.articles, load_expected(path))
    assert score.problems == [], score.line()
    for article in result.articles:
        x0, top, x1, bottom = (float(v) for v in article.region.split(","))
        assert 0 <= x0 < x1 <= 595 and 0 <= top < bottom <= 842


def test_multi_page_edition_numbers_pages_and_ids(pages: Path, tmp_path: Path) -> None:
    from tests.pages.generate import pdf_specs
    from tests.pages.render import pdf_page
    from tests.pages.stories import load_stories

    specs = pdf_specs(load_stories(34))
    for spec in specs:
        spec.header = False  # no printed 第N版: the page's place in the file counts
    path = tmp_path / "edition.pdf"
    canvas = _canvas(path)
    for spec in specs:
        pdf_page(spec, canvas)
        canvas.showPage()
    canvas.save()
    result = read_file(path, ReadOptions(source="测试日报", date="2023-08-01"))
    assert result.errors == []
    assert sorted({a.page for a in result.articles}) == ["1", "2", "3", "4"]
    assert {a.source for a in result.articles} == {"测试日报"}
    assert {a.date for a in result.articles} == {"2023-08-01"}
    assert len({a.id for a in result.articles}) == len(result.articles)
    assert result.articles[0].id.startswith("edition-p1-")


def test_page_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    canvas = _canvas(path)
    for n in range(3):
        canvas.setFont("STSong-Light", 10)
        canvas.drawString(50, 700, f"第{n}页的正文。")
        canvas.showPage()
    canvas.save()
    result = read_file(path, ReadOptions(max_pdf_pages=2))
    assert result.articles == []
    assert [str(e) for e in result.errors] == [
        f"{path}: 3 pages, more than the limit of 2 per file "
        "(split the edition, or raise the page limit)"
    ]


def test_image_only_pdf(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    canvas = _canvas(path)
    canvas.rect(50, 50, 400, 600, fill=1)
    canvas.showPage()
    canvas.save()
    (error,) = read_file(path).errors
    assert "no text layer" in error.reason and "OCR" in error.reason


def test_encrypted_pdf(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "locked.pdf"
    canvas = Canvas(str(path), pagesize=A4, encrypt="secret")
    canvas.drawString(50, 700, "locked")
    canvas.showPage()
    canvas.save()
    result = read_file(path)
    assert result.articles == []
    (error,) = result.errors
    assert "encrypted" in error.reason


@pytest.mark.parametrize("data", [b"%PDF-1.4\n%garbage", b"not a pdf at all", b""])
def test_corrupt_pdf(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    result = read_file(path)
    assert result.articles == []
    (error,) = result.errors
    assert str(error).startswith(f"{path}: ") and "\n" not in str(error)


def test_pdfplumber_is_imported_only_for_pdfs() -> None:
    code = (
        "import sys, retrieval, bot.cli\n"
        "from retrieval.sources import read_file\n"
        "assert 'pdfplumber' not in sys.modules, 'imported eagerly'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[3])


async def test_printed_page_is_stored_and_shown(pages: Path, tmp_path: Path) -> None:
    """An article from a PDF page keeps its page (版次) through the store into search hits,
    the article record, and the terminal's source line."""
    from bot.cli.plaintext import source_line
    from retrieval import NewsService
    from tests.pages.compare import load_expected

    path = pages / "p2_three_columns.pdf"
    expected = load_expected(path)
    service = await NewsService.open(tmp_path / "pages.db")
    try:
        report = await service.ingest([path])
        assert report.added == len(expected) and not report.errors
        first = expected[0]
        result = await service.search(first["title"])
        top = result.hits[0]
        assert top.title == first["title"]
        assert top.page and top.page == (await service.article(top.article_id)).page
        assert f"第{top.page}版" in source_line(top.title, top.date, top.source, page=top.page)
    finally:
        await service.close()
