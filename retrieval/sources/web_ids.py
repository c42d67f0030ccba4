"""Ids and fallback names for articles that come from the web (feed items and pages).

Ids have the form ``feed:<16 hex digits>`` derived from the item's guid, link or text, so
polling the same feed again yields the same ids, and the same article reached through two
feeds (or as a page) is stored once.
"""

from __future__ import annotations

import hashlib

import httpx


def stable_id(
    feed_url: str, *, guid: str = "", link: str = "", title: str = "", text: str = ""
) -> str:
    """A short, stable article id: "feed:" + 16 hex digits of a SHA-1.

    The key is the item's guid, else its link, else its title and text. URL-like guids and
    links are global (the same article in two feeds gets one id); other guids, such as
    "12345", are only unique within a site, so they are scoped by the feed's host. Hashing
    keeps ids short and free of characters that stores, URLs and commands trip over.
    """
    guid = guid.strip()
    if guid and "://" not in guid and not guid.startswith(("urn:", "tag:")):
        key = f"{host_of(feed_url)}#{guid}"
    elif guid:
        key = guid
    elif link.strip():
        key = link.strip()
    else:
        key = f"{host_of(feed_url)}#{title}\n{text}"
    return "feed:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def host_of(url: str) -> str:
    """The host of a URL ('' when it has none), used as a fallback source name."""
    try:
        return httpx.URL(url).host
    except (httpx.InvalidURL, ValueError):
        return ""
