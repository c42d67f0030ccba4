"""File readers: JSON Lines records, newspaper pages and plain articles on disk -> Articles.

Every problem is reported as a `SourceError` naming the file (and the line, for JSON Lines) and
what is wrong; a bad file or record never stops the others from being read. Input may be
hostile, so resources are bounded whatever a file holds: lines are read one at a time up to
`MAX_LINE_BYTES`, text files up to `MAX_TEXT_BYTES`, articles are handed on in chunks, and
after `MAX_ERRORS_SHOWN` problems in one file the rest are counted, not listed. Bytes that
are not text in the file's encoding are replaced per line, with a warning naming the line.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

from charset_normalizer import from_bytes

from retrieval.errors import UnreadableText
from retrieval.records import Article, FileResult, Paragraph, ReadOptions, SourceError
from retrieval.sources.newspaper import looks_like_page, parse_page
from retrieval.text import ORIGINAL_TITLE, clean_spacing, derive_title, find_date, has_cjk

SUPPORTED = (".jsonl.gz", ".jsonl", ".txt", ".md", ".pdf")
#: Longest JSON Lines line read; a longer one is an error and is skipped without being held.
MAX_LINE_BYTES = 8 * 2**20
#: Largest `.txt`/`.md` file read (it is one page or one article, read whole).
MAX_TEXT_BYTES = 32 * 2**20
#: Problems listed per file; later ones are only counted.
MAX_ERRORS_SHOWN = 20
#: Articles per chunk handed on by `iter_file` (what an ingest holds per file at a time).
CHUNK_ARTICLES = 2000


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    return next((ext for ext in SUPPORTED if name.endswith(ext)), None)


def expand(paths: list[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files to read: each named file, and the supported files under each named folder.

    Yields `(path, error)`; error is set for a missing path or an explicitly named file of an
    unsupported type. Inside folders, hidden and unsupported files are skipped silently
    (a data folder may hold READMEs and images).
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                hidden = any(p.startswith(".") for p in rel.parts)
                if child.is_file() and not hidden and _kind(child):
                    yield child, None
        elif path.is_file():
            if _kind(path):
                yield path, None
            else:
                yield path, (
                    f"unsupported file type {path.suffix or '(none)'!r}; "
                    f"expected one of {', '.join(SUPPORTED)}"
                )
        else:
            yield path, "no such file or directory"


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK; anything else is an error.

    UTF-8 is tried strictly first because it is unambiguous. GB18030 decodes almost any byte
    string, so it is accepted only when the result contains Chinese text and no control
    characters; charset-normalizer gets the last word for other encodings.
    """
    if not data.strip():
        raise UnreadableText("empty file")
    if b"\x00" in data[:8192]:
        raise UnreadableText("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if has_cjk(text) and not re.search(r"[\x00-\x08\x0e-\x1f]", text):
            return text
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableText("not text in a known encoding (tried UTF-8, GB18030 and detection)")
    return str(best)


def _record_article(record: object, path: Path, line: int) -> Article:
    """One JSON Lines record as an Article; raises ValueError with the reason when invalid."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    body = record.get("text", record.get("content"))
    if not isinstance(body, str) or not body.strip():
        raise ValueError("record has no 'text' (or 'content') string")
    # An explicit title is kept as written (runs of whitespace squeezed): its spaces may part
    # headline lines, and `newsbot export` must read back unchanged.
    title = " ".join(str(record.get("title") or "").split())
    found = ORIGINAL_TITLE.match(body)
    if found and body[found.end() :].strip():
        # 「原标题：…」 followed by a gap is a headline glued to the body: move it to the title.
        title = title or clean_spacing(found.group(1))
        body = body[found.end() :]
    if not title:
        title = clean_spacing(derive_title(body))
    paragraphs = [Paragraph(clean_spacing(p)) for p in body.splitlines() if p.strip()]
    ext_id = record.get("id")
    article_id = str(ext_id) if ext_id not in (None, "") else hashlib.sha1(
        body.encode("utf-8")
    ).hexdigest()[:16]
    return Article(
        id=article_id,
        title=title,
        paragraphs=paragraphs,
        kicker=str(record.get("kicker") or ""),
        subtitle=str(record.get("subtitle") or ""),
        author=str(record.get("author") or ""),
        date=str(record.get("date") or "") or find_date(body[:200]),
        source=str(record.get("source") or path.name),
        url=str(record.get("url") or ""),
        page=str(record.get("page") or ""),
        region=str(record.get("region") or ""),
        caption=str(record.get("caption") or ""),
    )


def jsonl_record(article: Article) -> dict[str, str]:
    """`article` as the JSON Lines record `read_jsonl` reads back into the same article
    (id, headline parts, byline, date, source, url, printed page, region and caption; one line
    of `text` per paragraph)."""
    record = {
        "id": article.id,
        "title": article.title,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "author": article.author,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "page": article.page,
        "region": article.region,
        "caption": article.caption,
        "text": article.text,
    }
    return {k: v for k, v in record.items() if v or k in ("id", "title", "text")}


def _read_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """`(line number, bytes)` of each line, at most `MAX_LINE_BYTES` held at a time.

    A longer line is skipped to its end without being kept and comes out as `None`, so a
    gigabyte without a newline (a `.gz` of zeros) costs one buffer, not a gigabyte.
    """
    number = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) <= MAX_LINE_BYTES or raw.endswith(b"\n"):
            yield number, raw
            continue
        while raw and not raw.endswith(b"\n"):
            raw = handle.readline(MAX_LINE_BYTES)
        yield number, None


class _LineDecoder:
    """Decodes a file line by line: UTF-8, or GB18030 (GBK) once a line shows it is that.

    A line with bytes that are valid in neither is decoded with U+FFFD in place of the bad
    bytes (in the encoding that loses least) and reported as a warning naming the line, so one
    bad byte costs one character, not the file.
    """

    def __init__(self) -> None:
        self.encoding: str | None = None

    def decode(self, raw: bytes) -> tuple[str, bool]:
        """The line's text, and whether bytes had to be replaced."""
        order = [self.encoding] if self.encoding else ["utf-8", "gb18030"]
        for encoding in order:
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not text.isascii():
                self.encoding = encoding
            return text.removeprefix("\ufeff"), False
        tried = [self.encoding] if self.encoding else ["utf-8", "gb18030"]
        candidates = [raw.decode(e, errors="replace") for e in tried]
        return min(candidates, key=lambda t: t.count("\ufffd")).removeprefix("\ufeff"), True


class _Problems:
    """Errors and warnings of one file: the first `MAX_ERRORS_SHOWN` of each are listed, the
    rest only counted (five million bad lines must not print five million messages)."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.errors: list[SourceError] = []
        self.warnings: list[SourceError] = []
        self.more_errors = 0
        self.more_warnings = 0

    def error(self, reason: str, line: int | None = None) -> None:
        if len(self.errors) < MAX_ERRORS_SHOWN:
            self.errors.append(SourceError(self.path, reason, line))
        else:
            self.more_errors += 1

    def warning(self, reason: str, line: int | None = None) -> None:
        if len(self.warnings) < MAX_ERRORS_SHOWN:
            self.warnings.append(SourceError(self.path, reason, line))
        else:
            self.more_warnings += 1

    def flush(self, articles: list[Article], *, last: bool) -> FileResult:
        """A chunk of the file's result; counts of unlisted problems go with the last one."""
        result = FileResult(self.path, articles, self.errors, self.warnings)
        self.errors, self.warnings = [], []
        if last:
            if self.more_warnings:
                result.warnings.append(
                    SourceError(self.path, f"{self.more_warnings} more warnings not listed")
                )
            result.more_errors = self.more_errors
        return result


def iter_jsonl(path: Path) -> Iterator[FileResult]:
    """Read JSON Lines (optionally gzipped), one article per line, in chunks of at most
    `CHUNK_ARTICLES` articles, so a file of any size is never held whole."""
    problems = _Problems(path)
    articles: list[Article] = []
    seen_any = False
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    decoder = _LineDecoder()
    try:
        with opener(path, "rb") as handle:
            for number, raw in _read_lines(cast(BinaryIO, handle)):
                if raw is None:
                    seen_any = True
                    problems.error(f"line longer than {MAX_LINE_BYTES:,} bytes; skipped", number)
                    continue
                if not raw.strip():
                    continue
                seen_any = True
                text, replaced = decoder.decode(raw)
                if replaced:
                    problems.warning(
                        f"bytes that are not valid {decoder.encoding or 'UTF-8'} text "
                        "were replaced by U+FFFD",
                        number,
                    )
                try:
                    articles.append(_record_article(json.loads(text), path, number))
                except json.JSONDecodeError as exc:
                    problems.error(f"malformed JSON: {exc}", number)
                except RecursionError:
                    problems.error("JSON nested too deeply", number)
                except ValueError as exc:
                    problems.error(str(exc), number)
                if len(articles) >= CHUNK_ARTICLES:
                    yield problems.flush(articles, last=False)
                    articles = []
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        problems.error(f"cannot read: {exc}")
    if not seen_any and not problems.errors and not problems.more_errors:
        problems.error("empty file: no records")
    yield problems.flush(articles, last=True)


def read_jsonl(path: Path) -> FileResult:
    """Read JSON Lines (optionally gzipped) whole: every chunk of `iter_jsonl` in one result."""
    return _merge(path, iter_jsonl(path))


def _merge(path: Path, chunks: Iterator[FileResult]) -> FileResult:
    result = FileResult(str(path))
    for chunk in chunks:
        result.articles.extend(chunk.articles)
        result.errors.extend(chunk.errors)
        result.warnings.extend(chunk.warnings)
        result.more_errors += chunk.more_errors
    return result


def parse_plain(text: str, article_id: str, source: str) -> Article:
    """A plain article: first line (or `# heading`) is the title, blank lines separate paragraphs.

    Lines inside a paragraph are joined; `clean_spacing` removes the join's space between
    Chinese characters and keeps it between Latin words.
    """
    lines = text.strip().splitlines()
    title = lines[0].lstrip("#").strip()
    blocks = re.split(r"\n\s*\n", "\n".join(lines[1:]))
    paragraphs = [
        Paragraph(clean_spacing(" ".join(ln.strip() for ln in b.splitlines())))
        for b in blocks
        if b.strip()
    ]
    if not paragraphs:
        paragraphs = [Paragraph(clean_spacing(title))]
    return Article(
        id=article_id,
        title=clean_spacing(title),
        paragraphs=paragraphs,
        date=find_date(title + text[:300]),
        source=source,
    )


def decode_lines(data: bytes, problems: _Problems) -> str:
    """`decode`, but a text valid as a whole in no encoding is decoded line by line: a bad
    byte is replaced and reported as a warning naming its line instead of losing the file."""
    try:
        return decode(data)
    except UnreadableText:
        if not data.strip() or b"\x00" in data[:8192]:
            raise
    decoder = _LineDecoder()
    lines = []
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        text, replaced = decoder.decode(raw)
        if replaced:
            problems.warning(
                f"bytes that are not valid {decoder.encoding or 'UTF-8'} text were replaced "
                "by U+FFFD",
                number,
            )
        lines.append(text)
    return "".join(lines)


def read_text(path: Path, options: ReadOptions | None = None) -> FileResult:
    """Read a `.txt`/`.md` file: a newspaper page when it looks like one, else one article."""
    problems = _Problems(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            problems.error(
                f"{size / 2**20:.0f} MiB is too large for one page or article (limit "
                f"{MAX_TEXT_BYTES // 2**20} MiB); split it, or use JSON Lines"
            )
            return problems.flush([], last=True)
        text = decode_lines(path.read_bytes(), problems)
    except UnreadableText as exc:
        problems.error(str(exc))
        return problems.flush([], last=True)
    except OSError as exc:
        problems.error(f"cannot read: {exc.strerror or exc}")
        return problems.flush([], last=True)
    stem = path.name.split(".")[0]
    articles: list[Article] = []
    if path.suffix.lower() == ".txt" and looks_like_page(text):
        options = options or ReadOptions()
        articles = parse_page(
            text, source=options.source or path.name, page_id=stem, date=options.date
        )
        if not articles:
            problems.error("no articles found on the page")
    else:
        articles.append(parse_plain(text, stem, path.name))
    return problems.flush(articles, last=True)


def iter_file(path: Path, options: ReadOptions | None = None) -> Iterator[FileResult]:
    """Read one supported file (see `SUPPORTED`) in chunks: JSON Lines `CHUNK_ARTICLES`
    articles at a time, other files whole (text is capped at `MAX_TEXT_BYTES`, PDFs at
    `options.max_pdf_pages` pages)."""
    kind = _kind(path)
    options = options or ReadOptions()
    if kind in (".jsonl", ".jsonl.gz"):
        yield from iter_jsonl(path)
    elif kind == ".pdf":
        from retrieval.sources.pdf import read_pdf  # lazy: pdfplumber loads only for PDFs

        yield read_pdf(
            path, source=options.source, date=options.date, max_pages=options.max_pdf_pages
        )
    else:
        yield read_text(path, options)


def read_file(path: Path, options: ReadOptions | None = None) -> FileResult:
    """Read one supported file (see `SUPPORTED`) whole."""
    return _merge(path, iter_file(path, options))
