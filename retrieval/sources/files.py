"""File readers: JSON Lines records, newspaper pages and plain articles on disk -> Articles.

Every problem is reported as a `SourceError` naming the file (and the line, for JSON Lines) and
what is wrong; a bad file or record never stops the others from being read.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from retrieval.errors import UnreadableText
from retrieval.records import Article, FileResult, Paragraph, SourceError
from retrieval.sources.newspaper import looks_like_page, parse_page
from retrieval.text import ORIGINAL_TITLE, clean_spacing, derive_title, find_date, has_cjk

SUPPORTED = (".jsonl.gz", ".jsonl", ".txt", ".md")


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
    )


def jsonl_record(article: Article) -> dict[str, str]:
    """`article` as the JSON Lines record `read_jsonl` reads back into the same article
    (id, headline parts, byline, date, source, url; one line of `text` per paragraph)."""
    record = {
        "id": article.id,
        "title": article.title,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "author": article.author,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "text": article.text,
    }
    return {k: v for k, v in record.items() if v or k in ("id", "title", "text")}


def read_jsonl(path: Path) -> FileResult:
    """Read JSON Lines (optionally gzipped), one article per line."""
    result = FileResult(str(path))
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw.decode("utf-8-sig"))
                    result.articles.append(_record_article(record, path, number))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    result.errors.append(SourceError(str(path), f"malformed JSON: {exc}", number))
                except ValueError as exc:
                    result.errors.append(SourceError(str(path), str(exc), number))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        result.errors.append(SourceError(str(path), f"cannot read: {exc}"))
    if not result.articles and not result.errors:
        result.errors.append(SourceError(str(path), "empty file: no records"))
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


def read_text(path: Path) -> FileResult:
    """Read a `.txt`/`.md` file: a newspaper page when it looks like one, else one article."""
    result = FileResult(str(path))
    try:
        text = decode(path.read_bytes())
    except UnreadableText as exc:
        result.errors.append(SourceError(str(path), str(exc)))
        return result
    except OSError as exc:
        result.errors.append(SourceError(str(path), f"cannot read: {exc}"))
        return result
    stem = path.name.split(".")[0]
    if path.suffix.lower() == ".txt" and looks_like_page(text):
        articles = parse_page(text, source=path.name, page_id=stem)
        if not articles:
            result.errors.append(SourceError(str(path), "no articles found on the page"))
        result.articles.extend(articles)
    else:
        result.articles.append(parse_plain(text, stem, path.name))
    return result


def read_file(path: Path) -> FileResult:
    """Read one supported file (see `SUPPORTED`)."""
    kind = _kind(path)
    if kind in (".jsonl", ".jsonl.gz"):
        return read_jsonl(path)
    return read_text(path)
