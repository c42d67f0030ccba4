"""HTML -> text: an article page -> Article, and HTML fragments -> Paragraphs.

Whole pages go through trafilatura (main-text extraction and metadata), imported only when a
page is parsed, so starting the command line never loads it. Fragments (feed item bodies,
JSON Feed `content_html`, titles with markup) go through a small block-aware converter built
on the stdlib HTML tokenizer, because trafilatura drops short fragments as boilerplate.
Pages are decoded the way browsers decode them (HTTP charset, BOM, <meta> charset).
"""

from __future__ import annotations

import codecs
from html.parser import HTMLParser

from retrieval.errors import FeedError, UnreadableText
from retrieval.records import Article, Paragraph
from retrieval.sources.files import decode
from retrieval.sources.web_ids import host_of, stable_id
from retrieval.text import clean_spacing, derive_title, iso_datetime

__all__ = ["html_to_paragraphs", "html_to_text", "parse_page", "text_paragraphs"]

# Labels that browsers decode with a superset codec: GB2312/GBK pages routinely contain
# characters outside those tables, and "latin-1" pages are really windows-1252.
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
#: The front end's switch for `allow_private`, named in refusals so operators know the fix.


def parse_page(data: bytes, content_type: str, url: str) -> Article:
    """A single article page: main text and metadata via trafilatura."""
    import trafilatura  # imported here: heavy, and only pages need it
    from trafilatura.settings import Document

    try:
        text = _decode_html(data, content_type)
    except UnreadableText as exc:
        raise FeedError(f"cannot decode the page: {exc}") from None
    doc = trafilatura.bare_extraction(
        text, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    body = doc.text if isinstance(doc, Document) else None
    if not isinstance(doc, Document) or not body or not body.strip():
        raise FeedError("not a feed, and no article text found on the page")
    paragraphs = text_paragraphs(body)
    title = clean_spacing(doc.title or "")
    if paragraphs and title and paragraphs[0].text == title:
        paragraphs = paragraphs[1:] or paragraphs  # the <h1> repeats the title
    meta = _PageMeta.read(text)
    return Article(
        id=stable_id(url, link=url),
        title=title or derive_title(paragraphs[0].text),
        paragraphs=paragraphs,
        # trafilatura drops authors without a space, i.e. nearly every Chinese name.
        author=clean_spacing(doc.author or meta.author),
        date=iso_datetime(doc.date or ""),
        source=clean_spacing(doc.sitename or "") or host_of(url),
        url=url,
    )


def _decode_html(data: bytes, content_type: str) -> str:
    """Decode a page the way browsers do: HTTP charset, then BOM, then <meta> charset.

    Declared charsets are tried strictly, and a wrong declaration (a GBK page labelled
    UTF-8 is common) falls through to `retrieval.sources.decode`, which tries UTF-8,
    GB18030 and detection.
    """
    labels = [_charset_param(content_type)]
    if data.startswith(codecs.BOM_UTF8):
        labels.insert(0, "utf-8-sig")
    labels.append(_PageMeta.read(data[:4096].decode("latin-1")).charset)
    for label in labels:
        codec = _codec(label)
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    return decode(data)


def _charset_param(content_type: str) -> str:
    """The charset parameter of a Content-Type header, or ''."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return ""


def _codec(label: str) -> str:
    """The Python codec for a charset label ('' if unknown), widened like browsers do."""
    label = label.strip().lower()
    if not label:
        return ""
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


class _PageMeta(HTMLParser):
    """Collects <meta> charset and author from a page's head (stdlib tokenizer)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charset = ""
        self.author = ""

    @classmethod
    def read(cls, html: str) -> _PageMeta:
        reader = cls()
        reader.feed(html)
        reader.close()
        return reader

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta":
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        if not self.charset:
            if values.get("charset"):
                self.charset = values["charset"].strip()
            elif values.get("http-equiv", "").lower() == "content-type":
                self.charset = _charset_param(values.get("content", ""))
        key = (values.get("name") or values.get("property") or "").lower()
        if key in ("author", "article:author", "og:article:author") and not self.author:
            self.author = values.get("content", "").strip()


def text_paragraphs(text: str) -> list[Paragraph]:
    """Plain text split into paragraphs at line breaks."""
    return [Paragraph(clean_spacing(line)) for line in text.splitlines() if line.strip()]


# --------------------------------------------------------------------------- text helpers

_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "head", "iframe", "svg"))


class _ParagraphCollector(HTMLParser):
    """Splits an HTML fragment into paragraphs at block elements.

    Built on the stdlib tokenizer (entities, comments, CDATA and broken markup are its
    job), not on regular expressions. Headings are not paragraphs of their own: they
    label the paragraphs under them, as `Paragraph.heading` intends.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[Paragraph] = []
        self._buffer: list[str] = []
        self._skip_depth = 0
        self._in_heading = False
        self._heading = ""
        self._heading_used = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS or tag in _HEADING_TAGS:
            self._flush()
            self._in_heading = tag in _HEADING_TAGS

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()  # <br/>, <hr/>: no end tag follows

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS or tag in _HEADING_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()
        if self._heading and not self._heading_used:  # nothing under it: keep it as text
            self.paragraphs.append(Paragraph(self._heading))
        self._heading = ""

    def _flush(self) -> None:
        text = clean_spacing(" ".join("".join(self._buffer).split()))
        self._buffer.clear()
        if self._in_heading:
            self._in_heading = False
            if text:
                if self._heading and not self._heading_used:  # two in a row: keep as text
                    self.paragraphs.append(Paragraph(self._heading))
                self._heading, self._heading_used = text, False
        elif text:
            self.paragraphs.append(Paragraph(text, heading=self._heading))
            self._heading_used = True


def html_to_paragraphs(html: str) -> list[Paragraph]:
    """Text paragraphs of an HTML fragment (feed content, JSON Feed content_html).

    trafilatura is made for whole pages: on short fragments it drops lists, headings and
    one-line items as boilerplate, so feed bodies use this block-aware conversion instead.
    Script and style contents are dropped.
    """
    if not html.strip():
        return []
    collector = _ParagraphCollector()
    collector.feed(html)
    collector.close()
    return collector.paragraphs


def html_to_text(html: str) -> str:
    """An HTML (or plain) title as one line: tags removed, entities decoded once."""
    parts = html_to_paragraphs(html)
    return clean_spacing(" ".join(p.heading + " " + p.text if p.heading else p.text for p in parts))
