"""What the supporting article must hold: the question's names and the facts it states."""

from __future__ import annotations

from retrieval.article_facts import Support, article_gaps
from retrieval.question import analyze

FAIR = "8月11日在上海举行推介会的湖州市吴兴区，区委书记是谁？"


def test_a_day_is_named_by_its_distance_from_the_storys_date() -> None:
    asked = analyze(FAIR)
    yesterday = Support.of("昨天下午，湖州市吴兴区推介会在上海举行。区委书记致辞。", "2023-08-12")
    assert "about:8月11日" not in article_gaps(asked, yesterday)
    same_day = Support.of("今天，湖州市吴兴区推介会在上海举行。", "2023-08-11T20:15:00")
    assert "about:8月11日" not in article_gaps(asked, same_day)
    two_days = Support.of("前天，湖州市吴兴区推介会在上海举行。", "2023-08-13")
    assert "about:8月11日" not in article_gaps(asked, two_days)


def test_a_relative_day_of_another_date_states_nothing() -> None:
    asked = analyze(FAIR)
    a_week_on = Support.of("昨天下午，湖州市吴兴区推介会在上海举行。", "2023-08-19")
    assert "about:8月11日" in article_gaps(asked, a_week_on)
    undated = Support.of("昨天下午，湖州市吴兴区推介会在上海举行。", "")
    assert "about:8月11日" in article_gaps(asked, undated)
    no_word = Support.of("湖州市吴兴区推介会在上海举行。", "2023-08-12")
    assert "about:8月11日" in article_gaps(asked, no_word)
