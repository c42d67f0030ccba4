"""Answers, search pages and inline results, summaries and whole articles, as Telegram HTML:
what a reader asks for, with 「摘要」 buttons under the passages and page buttons on /search."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode

from bot import callbacks, local_time, texts
from bot.callbacks import page_data
from bot.html_split import split_html
from bot.markup import esc, highlight, link, short, source_line
from bot.missing import missing_lines
from bot.render import Rendered
from retrieval import Answer, Article, Hit, SearchResult, Summary, SummaryItem

#: Passages per /search page.
PAGE_SIZE = 5
INLINE_DESCRIPTION_CHARS = 120

#: Maps an article id to the callback data of its 「摘要」 button.
ArticleButton = Callable[[str], str]

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


# ------------------------------------------------------------------ passages


def _hit_block(hit: Hit, number: int) -> str:
    head = f"{number}. {highlight(hit.text, hit.terms)}"
    return f"{head}\n   — {source_line(hit.title, hit.date, hit.source, hit.url, hit.page)}"


# ------------------------------------------------------------------ buttons


def _summary_buttons(
    numbered: Iterable[tuple[int, Hit]], article_button: ArticleButton
) -> list[InlineKeyboardButton]:
    """One 「摘要 n」 button per distinct article, numbered like the passage it first backs."""
    buttons: list[InlineKeyboardButton] = []
    seen: set[str] = set()
    for number, hit in numbered:
        if hit.article_id in seen:
            continue
        seen.add(hit.article_id)
        label = texts.SUMMARY_BUTTON.format(n=number)
        buttons.append(InlineKeyboardButton(label, callback_data=article_button(hit.article_id)))
    return buttons


# ------------------------------------------------------------------ answers and search


def answer(ans: Answer, article_button: ArticleButton) -> Rendered:
    """The answer sentence with its source, then the supporting passages (terms in bold).

    When nothing answers the question, say so and suggest `/search` with the service's
    suggested words.
    """
    if ans.window is not None:
        return news_of_time(ans, article_button)
    if not ans.found:
        return _not_found(ans, article_button)
    terms = [t for h in ans.hits for t in h.terms]
    fallback = ans.hits[0] if ans.hits else None
    origin = next((h for h in ans.hits if ans.sentence in h.text), fallback)
    head = texts.ANSWER_HEAD.format(sentence=highlight(ans.sentence, terms))
    if origin is not None:
        head += "\n— " + source_line(
            origin.title, origin.date, origin.source, origin.url, origin.page
        )
    if ans.tentative:
        head += "\n" + texts.ANSWER_TENTATIVE
    blocks = [head]
    if ans.hits:
        blocks.append(texts.ANSWER_PASSAGES)
        blocks += [_hit_block(h, n) for n, h in enumerate(ans.hits, start=1)]
    buttons = _summary_buttons(enumerate(ans.hits, start=1), article_button)
    keyboard = InlineKeyboardMarkup([buttons]) if buttons else None
    return "\n\n".join(blocks), keyboard


def _not_found(ans: Answer, article_button: ArticleButton) -> Rendered:
    """No answer: say why (what the news lacks), then the closest passages as related only."""
    if ans.kind == "chitchat":
        return texts.CHITCHAT, None
    if ans.kind == "offtopic":
        return texts.OFFTOPIC, None
    if ans.kind == "search" and not ans.hits:
        return texts.SEARCH_NONE.format(query=esc(short(ans.question, 100))), None
    if ans.kind == "search":
        head = texts.KEYWORD_RESULTS.format(query=esc(short(ans.question, 100)))
    else:
        question = short(ans.question, 200)
        head = texts.NOT_FOUND.format(question=esc(question), words=esc(ans.suggestion or question))
        head = "\n".join([head, *missing_lines(ans.missing, esc)])
    if not ans.hits:
        return head, None
    blocks = [head, texts.ANSWER_PASSAGES if ans.kind == "search" else texts.RELATED_PASSAGES]
    blocks += [_hit_block(h, n) for n, h in enumerate(ans.hits, start=1)]
    buttons = _summary_buttons(enumerate(ans.hits, start=1), article_button)
    return "\n\n".join(blocks), InlineKeyboardMarkup([buttons]) if buttons else None


def news_of_time(ans: Answer, article_button: ArticleButton) -> Rendered:
    """The news of the time a question named, newest first, or that there is none."""
    assert ans.window is not None
    window = ans.window
    span = {"label": esc(window.label), "since": esc(window.since), "until": esc(window.until)}
    if not ans.hits:
        return texts.TIME_NONE.format(**span), None
    blocks = [texts.TIME_HEAD.format(**span)]
    blocks += [_hit_block(h, n) for n, h in enumerate(ans.hits, start=1)]
    buttons = _summary_buttons(enumerate(ans.hits, start=1), article_button)
    return "\n\n".join(blocks), InlineKeyboardMarkup([buttons]) if buttons else None


def search_page(
    result: SearchResult,
    page: int,
    has_next: bool,
    key: str,
    article_button: ArticleButton,
) -> Rendered:
    """One page of ranked passages with 「摘要」 buttons and 上一页/下一页 navigation."""
    query = esc(short(result.query, 100))
    sort = result.sort
    head = texts.SEARCH_HEAD.format(query=query, page=page + 1)
    if sort == callbacks.DATE:
        head += texts.SEARCH_BY_DATE
    if not result.hits:
        if page == 0:
            return texts.SEARCH_NONE.format(query=query), None
        body = head + "\n\n" + texts.SEARCH_NO_MORE
        nav = [InlineKeyboardButton(texts.PREV_PAGE, callback_data=page_data(key, page - 1, sort))]
        return body, InlineKeyboardMarkup([nav])
    blocks = [head]
    blocks += [_hit_block(h, h.rank) for h in result.hits]
    rows: list[list[InlineKeyboardButton]] = []
    summaries = _summary_buttons(((h.rank, h) for h in result.hits), article_button)
    if summaries:
        rows.append(summaries)
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(texts.PREV_PAGE, callback_data=page_data(key, page - 1, sort))
        )
    if has_next:
        nav.append(
            InlineKeyboardButton(texts.NEXT_PAGE, callback_data=page_data(key, page + 1, sort))
        )
    if nav:
        rows.append(nav)
    if result.terms:  # a listing of filters alone is already newest first
        other = callbacks.RELEVANCE if sort == callbacks.DATE else callbacks.DATE
        label = texts.SORT_BY_RELEVANCE if other == callbacks.RELEVANCE else texts.SORT_BY_DATE
        rows.append([InlineKeyboardButton(label, callback_data=page_data(key, 0, other))])
    text = "\n\n".join(blocks)
    # A page is edited in place, so it must be one message: keep the first part if too long.
    return split_html(text)[0], InlineKeyboardMarkup(rows) if rows else None


def inline_results(result: SearchResult) -> list[InlineQueryResultArticle]:
    """Passages as inline results: title, snippet, and the HTML passage with its source."""
    results = []
    for hit in result.hits:
        body = highlight(hit.text, hit.terms)
        source = source_line(hit.title, hit.date, hit.source, hit.url, hit.page)
        content = InputTextMessageContent(
            split_html(f"{body}\n\n— {source}")[0],
            parse_mode=ParseMode.HTML,
            link_preview_options=_NO_PREVIEW,
        )
        results.append(
            InlineQueryResultArticle(
                id=str(hit.rank),
                title=short(hit.title or texts.UNTITLED, 100),
                input_message_content=content,
                description=short(hit.text, INLINE_DESCRIPTION_CHARS),
                url=hit.url if hit.url.startswith(("http://", "https://")) else None,
            )
        )
    return results


# ------------------------------------------------------------------ summaries and articles


def _summary_item(item: SummaryItem) -> str:
    head = "■ " + source_line(item.title, item.date, item.source, item.url)
    lines = [head, texts.ARTICLE_ID_LINE.format(article_id=esc(item.article_id))]
    lines += [esc(s) for s in item.sentences]
    return "\n".join(lines)


def summary(s: Summary) -> Rendered:
    """Each summarized article: its source line, its id, then its chosen sentences."""
    if not s.items:
        if s.kind == "digest":
            return texts.SUMMARY_EMPTY, None
        return texts.SUMMARY_NO_MATCH.format(query=esc(short(s.query, 100))), None
    if s.kind == "digest":
        head = texts.SUMMARY_DIGEST_HEAD
    elif s.kind == "article":
        head = texts.SUMMARY_ARTICLE_HEAD
    else:
        head = texts.SUMMARY_TOPIC_HEAD.format(query=esc(short(s.query, 100)))
    return "\n\n".join([head, *(_summary_item(i) for i in s.items)]), None


def article(a: Article) -> Rendered:
    """The whole article: headline parts, byline and source, paragraphs under their headings."""
    blocks = []
    if a.kicker:
        blocks.append(f"<i>{esc(a.kicker)}</i>")
    title = f"<b>{link(a.title or texts.UNTITLED, a.url)}</b>"
    if a.subtitle:
        title += "\n" + esc(a.subtitle)
    blocks.append(title)
    meta = [esc(x) for x in (a.author, local_time.show(a.date), a.source) if x]
    meta.append(texts.ARTICLE_ID_LINE.format(article_id=esc(a.id)))
    blocks.append(texts.SOURCE_SEPARATOR.join(meta))
    heading = ""
    for p in a.paragraphs:
        if p.heading and p.heading != heading:
            blocks.append(f"<b>{esc(p.heading)}</b>")
            heading = p.heading
        blocks.append(esc(p.text))
    return "\n\n".join(blocks), None
