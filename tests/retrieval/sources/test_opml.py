"""OPML feed lists (retrieval.sources.opml): nested folders, intervals, hostile documents."""

from __future__ import annotations

import pytest

from retrieval import FeedProblem
from retrieval.sources.opml import OpmlFeed, read_opml, write_opml

READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
  <outline text="News" title="News">
    <outline type="rss" text="Leshan" title="Leshan Daily" xmlUrl="https://a.example/rss.xml"
             htmlUrl="https://a.example/"/>
    <outline type="rss" text="dup" xmlUrl="https://a.example/rss.xml"/>
  </outline>
  <outline type="rss" text="B" xmlUrl=" https://b.example/atom " minutes="15"/>
  <outline text="a folder without feeds"/>
</body></opml>"""


def test_feeds_are_read_from_any_depth_once_each() -> None:
    assert read_opml(READER_EXPORT) == [
        OpmlFeed("https://a.example/rss.xml", "Leshan Daily", None),
        OpmlFeed("https://b.example/atom", "B", 15),
    ]


def test_written_lists_read_back() -> None:
    feeds = [OpmlFeed("https://a.example/rss?x=1&y=2", "", 30), OpmlFeed("https://b.example/", "")]
    text = write_opml(feeds)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert [(f.url, f.minutes) for f in read_opml(text.encode())] == [
        ("https://a.example/rss?x=1&y=2", 30),
        ("https://b.example/", None),
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<rss><channel/></rss>", "not an OPML document (the root element is <rss>)"),
        (b"<opml><body><outline", "not valid OPML/XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml>&a;</opml>',
            "not valid OPML/XML",
        ),
    ],
)
def test_bad_documents_are_one_clear_problem(data: bytes, reason: str) -> None:
    with pytest.raises(FeedProblem, match=reason.replace("(", r"\(").replace(")", r"\)")):
        read_opml(data)
