"""Compatibility alias: the article records now live in `retrieval.records`.

Kept only because `retrieval/sources/newspaper.py` and `bot/` (restructured on other branches)
still import from here; delete this module once they import `retrieval.records` / the root.
"""

from retrieval.records import Article, Hit, Paragraph

__all__ = ["Article", "Hit", "Paragraph"]
