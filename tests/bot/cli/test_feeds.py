"""`newsbot feeds add|list|remove|poll` against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.commands import app
from tests.feed_server import FeedServer, Route, rss, serve_feeds

runner = CliRunner()
MUSEUM = (
    "museum-1",
    "乐山大佛博物馆7月1日开馆",
    "乐山大佛博物馆将于7月1日正式开馆，首批展出文物三百余件。",
)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database path; loopback feeds allowed, no .env."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSBOT_FEEDS_ALLOW_PRIVATE", "1")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return tmp_path / "news.db"


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with serve_feeds() as server:
        yield server


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_add_list_poll_and_remove_feeds(db: Path, feeds: FeedServer) -> None:
    feeds.routes["/rss.xml"] = Route(rss([MUSEUM]))
    good, bad = feeds.url("/rss.xml"), feeds.url("/gone.xml")
    assert invoke("feeds", "list", "--db", str(db))[1].startswith("No feeds yet")
    code, out, _ = invoke("feeds", "add", good, "--minutes", "5", "--db", str(db))
    assert code == 0 and out.strip() == f"added feed 1: {good} every 5 min"
    assert invoke("feeds", "add", bad, "--db", str(db))[0] == 0

    code, out, _ = invoke("feeds", "poll", "--db", str(db))
    lines = out.splitlines()
    assert code == 1  # one feed failed
    assert lines[0].split() == ["1", "ok", "1", "added,", "0", "replaced", good]
    assert lines[1].split()[:2] == ["2", "error"] and "404" in lines[2]
    code, out, _ = invoke("ask", "乐山大佛博物馆什么时候开馆？", "--db", str(db))
    assert code == 0 and "7月1日" in out.splitlines()[0]

    code, out, _ = invoke("feeds", "list", "--json", "--db", str(db))
    listed = {f["id"]: f for f in json.loads(out)}
    assert listed[1]["items_added"] == 1 and listed[1]["failures"] == 0
    assert listed[1]["interval_minutes"] == 5 and listed[1]["last_success"]
    assert listed[2]["failures"] == 1 and "404" in listed[2]["last_error"]
    text = invoke("feeds", "list", "--db", str(db))[1]
    assert "1 failures" in text and "last error:" in text

    assert invoke("feeds", "remove", "2", "--db", str(db))[:2] == (0, "removed feed 2\n")
    code, _, err = invoke("feeds", "remove", "2", "--db", str(db))
    assert code == 1 and "no feed with id 2" in err
    code, out, _ = invoke("feeds", "poll", "--json", "--db", str(db))
    [report] = json.loads(out)
    assert code == 0 and report["status"] == "ok" and report["added"] == 0
    assert report["unchanged"] == 1


def test_bad_feed_urls_and_intervals_are_one_line_errors(db: Path) -> None:
    code, _, err = invoke("feeds", "add", "file:///etc/passwd", "--db", str(db))
    assert code == 1 and err.startswith("error: not an http(s) URL")
    code, _, err = invoke("feeds", "add", "https://a.example/rss", "--minutes", "0")
    assert code == 2 and "--minutes" in err
    assert invoke("feeds", "add", "https://a.example/rss", "--db", str(db))[0] == 0
    code, _, err = invoke("feeds", "add", "https://a.example/rss", "--db", str(db))
    assert code == 1 and "already polling" in err


def test_loopback_feeds_need_the_operator_switch_which_dotenv_can_set(
    db: Path, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeds.routes["/rss.xml"] = Route(rss([MUSEUM]))
    monkeypatch.delenv("NEWSBOT_FEEDS_ALLOW_PRIVATE")
    assert invoke("feeds", "add", feeds.url("/rss.xml"), "--db", str(db))[0] == 0
    code, out, _ = invoke("feeds", "poll", "--db", str(db))
    assert code == 1 and "refused" in out and feeds.requests == []
    (db.parent / ".env").write_text("NEWSBOT_FEEDS_ALLOW_PRIVATE=1\n", "utf-8")  # cwd is tmp
    code, out, _ = invoke("feeds", "poll", "--db", str(db))
    assert code == 0 and out.split()[1:3] == ["ok", "1"]


def test_feeds_export_and_import_opml(db: Path, tmp_path: Path) -> None:
    added = invoke("feeds", "add", "https://a.example/rss.xml", "--minutes", "5", "--db", str(db))
    assert added[0] == 0
    code, out, _ = invoke("feeds", "export", "--db", str(db))
    assert code == 0 and 'xmlUrl="https://a.example/rss.xml"' in out and 'minutes="5"' in out
    listing = tmp_path / "feeds.opml"
    listing.write_text(
        out.replace(
            "</body>",
            '<outline text="x"><outline xmlUrl="https://b.example/feed"/>'
            '<outline xmlUrl="ftp://c.example/"/></outline></body>',
        ),
        "utf-8",
    )
    other = tmp_path / "other.db"
    code, out, _ = invoke("feeds", "import", str(listing), "--minutes", "60", "--db", str(other))
    assert code == 1  # the ftp URL is refused, the others are added
    assert out.splitlines()[-1] == "2 feeds added, 0 already polled, 1 refused"
    assert "error: not an http(s) URL: 'ftp://c.example/'" in out
    rows = json.loads(invoke("feeds", "list", "--json", "--db", str(other))[1])
    assert [(r["url"], r["interval_minutes"]) for r in rows] == [
        ("https://a.example/rss.xml", 5),
        ("https://b.example/feed", 60),
    ]
    code, out, _ = invoke("feeds", "import", str(listing), "--db", str(other))
    assert out.splitlines()[-1] == "0 feeds added, 2 already polled, 1 refused"


def test_feeds_import_of_a_bad_file_is_one_line(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "x.opml"
    bad.write_text("<html>no</html>", "utf-8")
    code, _, err = invoke("feeds", "import", str(bad), "--db", str(db))
    assert code == 1
    assert err.strip() == f"error: {bad}: not an OPML document (the root element is <html>)"
    code, _, err = invoke("feeds", "import", str(tmp_path / "none.opml"), "--db", str(db))
    assert code == 1 and err.startswith(f"error: {tmp_path / 'none.opml'}: ")
