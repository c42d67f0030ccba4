"""How long a 16-page PDF edition takes to ingest (issue 11 asks for under 10 s).

Builds an edition of 16 pages from corpus stories with the test page generator (reportlab,
a dev dependency), then times reading it (pdfplumber layout + article parsing) and a full
`NewsService.ingest` into a fresh database (read, tokenize, index, store).

    .venv/bin/python bench/pdf_speed.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.service import NewsService  # noqa: E402
from retrieval.sources.files import read_file  # noqa: E402

PAGES = 16


def build_edition(path: Path) -> None:
    """A 16-page edition: the generator's PDF layouts in turn, each with its own stories."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    from tests.pages.generate import pdf_specs
    from tests.pages.render import pdf_page
    from tests.pages.stories import load_stories

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    stories = load_stories(34 + 12 * 4, scan=60000)
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    for number in range(PAGES):
        offset = (number // 4) * 12  # fresh stories for every round of the four layouts
        spec = pdf_specs(stories[offset : offset + 34])[number % 4]
        spec.page = str(number + 1)
        pdf_page(spec, canvas)
        canvas.showPage()
    canvas.save()


async def ingest(path: Path, db: Path) -> tuple[float, int]:
    service = await NewsService.open(db)
    try:
        started = time.perf_counter()
        report = await service.ingest([path])
        return time.perf_counter() - started, report.added
    finally:
        await service.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as folder:
        edition = Path(folder) / "edition.pdf"
        build_edition(edition)
        started = time.perf_counter()
        result = read_file(edition)
        read_seconds = time.perf_counter() - started
        assert not result.errors, result.errors
        seconds, added = asyncio.run(ingest(edition, Path(folder) / "bench.db"))
    pages = len({a.page for a in result.articles})
    print(f"{PAGES}-page edition: {pages} pages with text, {len(result.articles)} articles")
    print(f"read + parse: {read_seconds:.2f} s ({read_seconds / PAGES * 1000:.0f} ms/page)")
    print(f"full ingest (read, tokenize, index, store): {seconds:.2f} s, {added} articles added")


if __name__ == "__main__":
    main()
