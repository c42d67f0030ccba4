"""OPML feed lists, as feed readers import and export them: URLs (and intervals) in and out.

Parsing uses `defusedxml`, so a hostile file cannot expand entities or reach the network.
Every `<outline>` with an `xmlUrl`, at any depth (readers nest feeds in folders), is a feed;
newsbot writes its polling interval as an extra `minutes` attribute (OPML allows any
attribute on an outline) and reads it back when present.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from retrieval.errors import FeedProblem


class OpmlProblem(FeedProblem):
    """The file is not a usable OPML feed list (the message says why)."""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed of an OPML list: its URL, its title, and its interval when newsbot wrote it."""

    url: str
    title: str = ""
    minutes: int | None = None


def read_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML document, in document order, each URL once."""
    try:
        root = fromstring(data)
    except (ET.ParseError, DefusedXmlException) as exc:
        raise OpmlProblem(f"not valid OPML/XML: {exc}") from None
    if root.tag != "opml":
        raise OpmlProblem(f"not an OPML document (the root element is <{root.tag}>)")
    feeds: dict[str, OpmlFeed] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if not url or url in feeds:
            continue
        minutes = outline.get("minutes", "")
        title = outline.get("title") or outline.get("text") or ""
        feeds[url] = OpmlFeed(url, title.strip(), int(minutes) if minutes.isdigit() else None)
    return list(feeds.values())


def write_opml(feeds: list[OpmlFeed], title: str = "newsbot feeds") -> str:
    """An OPML 2.0 document listing `feeds`."""
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.title or feed.url, "xmlUrl": feed.url}
        if feed.minutes is not None:
            attributes["minutes"] = str(feed.minutes)
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
