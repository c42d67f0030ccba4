"""Read PDF e-paper pages (数字报): each page of the file becomes its articles.

pdfplumber gives every glyph with its position and type size; `pdf_layout` turns them into
blocks in reading order and the newspaper parser assembles articles, using type size to tell
headline parts from body text. pdfplumber is imported here, inside the reader, so commands
that never see a PDF never load it.

A PDF that cannot be read (encrypted, corrupt, no text layer, more pages than the limit)
yields one error naming the file and the reason, and no articles.
"""

from __future__ import annotations

import re
from pathlib import Path

from retrieval.records import FileResult, SourceError
from retrieval.sources.newspaper import parse_blocks
from retrieval.sources.pdf_layout import page_blocks

DEFAULT_MAX_PAGES = 64


def read_pdf(
    path: Path, *, source: str = "", date: str = "", max_pages: int = DEFAULT_MAX_PAGES
) -> FileResult:
    """Articles of every page of a PDF edition (one page or many), page by page."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    result = FileResult(str(path))

    def fail(reason: str) -> FileResult:
        result.errors.append(SourceError(str(path), reason))
        return result

    try:
        pdf = pdfplumber.open(path)
    except OSError as exc:
        return fail(f"cannot read: {exc.strerror or exc}")
    except (PDFPasswordIncorrect, PDFEncryptionError):
        return fail("the PDF is encrypted (password-protected); save an unprotected copy")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            return fail("the PDF is encrypted (password-protected); save an unprotected copy")
        return fail(f"not a readable PDF (damaged or not a PDF): {type(cause).__name__}")
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        return fail(f"not a readable PDF (damaged or not a PDF): {type(exc).__name__}")
    with pdf:
        try:
            count = len(pdf.pages)
        except Exception as exc:  # a broken page tree surfaces only here
            return fail(f"not a readable PDF (damaged page tree): {type(exc).__name__}")
        if count > max_pages:
            return fail(
                f"{count} pages, more than the limit of {max_pages} per file "
                "(split the edition, or raise the page limit)"
            )
        stem = path.name.rsplit(".", 1)[0]
        pages_with_text = 0
        for number, page in enumerate(pdf.pages, start=1):
            try:
                chars = page.chars
                boxes = [
                    (float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]))
                    for r in page.rects
                    if not r.get("fill")
                ]
            except Exception as exc:  # one damaged page must not lose the others
                result.errors.append(
                    SourceError(str(path), f"page {number}: unreadable ({type(exc).__name__})")
                )
                continue
            if not chars:
                continue
            pages_with_text += 1
            page_id = f"{stem}-p{number}" if count > 1 else stem
            articles = parse_blocks(
                page_blocks(chars, boxes),
                source=source or path.name,
                page_id=page_id,
                date=date,
                page=_page_number(path, number, count),
            )
            result.articles.extend(articles)
        if not pages_with_text and not result.errors:
            return fail("no text layer (a scanned image?); OCR is not supported")
    if not result.articles and not result.errors:
        result.errors.append(SourceError(str(path), "no articles found in the PDF"))
    return result


def _page_number(path: Path, number: int, count: int) -> str:
    """The page (版次) when the header does not print it: the page's place in a multi-page
    edition, or a number in a one-page file's name (「03版.pdf」, 「page-3.pdf」)."""
    if count > 1:
        return str(number)
    found = re.findall(r"(?<![0-9])([A-Z]?\d{1,2})(?![0-9])", path.stem)
    return found[-1].lstrip("0") if found else "1"

