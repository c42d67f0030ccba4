"""Every user-facing string of the Telegram bot, in Chinese.

Strings sent as messages are Telegram HTML: literal ``<``, ``>`` and ``&`` must not appear
except as markup, and every ``{placeholder}`` is filled with text that the caller has already
passed through ``html.escape``. Strings marked *plain* are shown without parse mode
(callback-query notices, button labels, inline-result titles and descriptions).
"""

from __future__ import annotations

# --- command menu (setMyCommands; plain) -------------------------------------------------

COMMANDS: list[tuple[str, str]] = [
    ("help", "使用说明和示例问题"),
    ("search", "按关键词搜索新闻段落"),
    ("summary", "摘要：最新新闻、某篇文章或某个话题"),
    ("articles", "最近的文章及其编号"),
    ("sources", "各个来源的文章数和最新日期"),
    ("article", "阅读一篇文章全文"),
    ("subscribe", "订阅关键词，有相关新文章时提醒"),
    ("subscriptions", "查看我的订阅"),
    ("unsubscribe", "取消一个订阅"),
]
ADMIN_COMMANDS: list[tuple[str, str]] = [
    *COMMANDS,
    ("reindex", "重新载入数据并重建索引（管理员）"),
    ("stats", "运行统计（管理员）"),
    ("feeds", "订阅源及其状态（管理员）"),
    ("addfeed", "添加订阅源：网址 [分钟]（管理员）"),
    ("removefeed", "删除订阅源（管理员）"),
    ("delete", "删除文章：编号 …（管理员）"),
]

# --- /start and /help -----------------------------------------------------------------------

HELP_INTRO = "您好！我是新闻问答机器人，只根据已载入的新闻原文回答问题。"
HELP_KNOWLEDGE = "目前载入了 <b>{articles}</b> 篇文章（{passages} 个段落），来源：{sources}。"
HELP_LATEST = "最新日期：{date}。"
HELP_EMPTY = (
    "目前还没有载入任何文章。管理员可以直接发送新闻文件（.txt、.md、.jsonl）给我，"
    "或用 /addfeed 网址 添加订阅源；在服务器上可运行 <code>newsbot ingest 路径</code>，"
    "试用示例版面请运行 <code>newsbot demo</code>。"
)
HELP_SOURCES_MORE = "等 {n} 个来源"
HELP_USAGE = (
    "<b>怎么用</b>\n"
    "• 直接发送问题，我会给出答案句和出处。\n"
    "• /search 关键词 — 搜索相关段落（可翻页，可按时间排序）\n"
    '  搜索语法："精确短语"　-排除词　source:来源　since:2023-07-01　until:2023-07-31\n'
    "• 问「最近有什么新闻？」「2023年7月有什么新闻？」按时间列出新闻\n"
    "• /sources — 各个来源的文章数和最新日期\n"
    "• /summary — 最新新闻摘要；/summary 文章编号 或 /summary 话题\n"
    "• /articles — 最近的文章；/article 编号 — 阅读全文\n"
    "• /subscribe 关键词 — 有相关的新文章时提醒您；/subscriptions 查看，/unsubscribe 编号 取消\n"
    "• 在任何聊天中输入 @{bot} 问题 — 行内搜索\n"
    "• 在群组中请 @{bot} 或回复我的消息提问。"
)
HELP_EXAMPLES = "<b>可以试试</b>"
HELP_EXAMPLE_QUESTION = "• {question}"
HELP_EXAMPLE_SEARCH = "• /search {words}"
HELP_EXAMPLE_SUMMARY = "• /summary {article_id}"
EXAMPLE_QUESTION = "{topic}？"

# --- answers ----------------------------------------------------------------------------------

ANSWER_HEAD = "💡 {sentence}"
ANSWER_PASSAGES = "<b>相关段落</b>"
ANSWER_TENTATIVE = "⚠️ 把握不大：这句话只涉及问题的一部分，请对照下面的原文。"
NOT_FOUND = (
    "抱歉，在已载入的新闻中没有找到能回答「{question}」的内容。\n"
    "可以试试用更少的关键词搜索，例如：/search {words}"
)
NOT_FOUND_TERMS = "新闻里没有关于“{terms}”的报道。"
NOT_FOUND_ABOUT = "找到了相关报道，但没有提到“{terms}”。"
NOT_FOUND_ROLE = "找到了相关报道，但没有提到{role}是谁。"
NOT_FOUND_TYPE = "找到了相关报道，但没有提到{what}。"
NOT_FOUND_DAY = "已载入的新闻都早于“{day}”，无法回答这个问题。"
#: What an unanswered question asked for, by answer type (see NOT_FOUND_TYPE).
ANSWER_TYPE_NAMES = {
    "number": "具体数字", "date": "具体时间", "who": "是谁", "place": "具体地点",
    "outcome": "最终结果", "definition": "具体内容", "cause": "具体原因",
}
RELATED_PASSAGES = "<b>相关报道（不是答案）</b>"
CHITCHAT = "您好！我只根据已载入的新闻回答问题，请直接发送您的问题。发送 /help 查看用法和示例。"
OFFTOPIC = "抱歉，我只回答关于已载入新闻的问题，不做计算、编程、翻译、写作或生活建议。"
KEYWORD_RESULTS = "「{query}」不是一个完整的问题，以下是搜索结果："
NOT_SEARCHABLE = (
    "这句话里没有可以搜索的词（只有标点、表情或虚词）。请换个说法，例如直接写人名、地名或事件。"
)
EMPTY_QUESTION = "请直接发送您的问题，例如：{example}"

# --- the same answers in the terminal (`newsbot ask`; plain) ---------------------------------

CLI_ANSWER = "答案：{sentence}"
CLI_PASSAGES = "相关段落："
CLI_RELATED = "相关报道（不是答案）："
CLI_NOT_FOUND = (
    "抱歉，在已载入的新闻中没有找到能回答「{question}」的内容。\n"
    "可以试试用更少的关键词搜索，例如：newsbot search {words}"
)
CLI_TIME_HEAD = "{label}的新闻（{since} 至 {until}，最新的在前）："
CLI_TIME_NONE = (
    "已载入的新闻中没有{label}（{since} 至 {until}）的内容。"
    "可以用 newsbot sources 查看各来源的最新日期。"
)
CLI_CHITCHAT = "您好！我只根据已载入的新闻回答问题，请直接提问。用法见 newsbot --help。"

# --- /search ----------------------------------------------------------------------------------

SEARCH_USAGE = "用法：/search 关键词，例如 /search {example}"
SEARCH_HEAD = "🔎 「{query}」 第 {page} 页"
SEARCH_NONE = "没有找到与「{query}」匹配的段落。试试更少或不同的关键词。"
SEARCH_NO_MORE = "没有更多结果了。"
PRINTED_PAGE = "第{page}版"  # plain: the page of a printed edition
SEARCH_BY_DATE = "（按时间）"
SORT_BY_DATE = "按时间"  # plain
SORT_BY_RELEVANCE = "按相关度"  # plain
PREV_PAGE = "« 上一页"  # plain
NEXT_PAGE = "下一页 »"  # plain
SUMMARY_BUTTON = "摘要 {n}"  # plain
PAGE_EXPIRED = "这个搜索已过期，请重新发送 /search 关键词。"  # plain
BUTTON_EXPIRED = "这个按钮已失效，请重新搜索或提问。"  # plain

# --- news of a time (「最近有什么新闻？」) and /sources ----------------------------------------

TIME_HEAD = "🗓 <b>{label}的新闻</b>（{since} 至 {until}，最新的在前）"
TIME_NONE = (
    "已载入的新闻中没有{label}（{since} 至 {until}）的内容。可以用 /sources 查看各来源的最新日期。"
)
SOURCES_HEAD = "🗞 <b>新闻来源</b>"
SOURCE_LINE = "• {name}：{n} 篇，最新 {newest}"
SOURCES_EMPTY = "数据库里还没有文章。"

# --- what went wrong, for each error the engine raises -------------------------------------

QUERY_BAD_SOURCE = "「source:」后面要写来源名称，例如 source:乐山日报。"
QUERY_BAD_DATE = (
    "「{field}:」后面要写日期，例如 2023-07-01、2023-07 或 2023；「{value}」不是有效的日期。"
)
QUERY_BAD_RANGE = "起始日期（since:）晚于结束日期（until:），请调换一下。"
FEED_BAD_URL = "这不是 http(s) 网址。"
FEED_BAD_INTERVAL = "抓取间隔必须在 {low}–{high} 分钟之间。"
FEED_DUPLICATE = "这个网址已经在订阅源里了。"
FEED_PROBLEM = "无法添加这个订阅源。"
STORE_PROBLEM = "数据库无法打开，请联系管理员。"
UNREADABLE_TEXT = "这个文件不是可以读取的文本（支持 UTF-8 和 GBK/GB18030 编码）。"
FETCH_PROBLEM = "无法从这个网址取得新闻（网址无法访问，或者不是新闻源或文章页面）。"

# --- /summary ---------------------------------------------------------------------------------

SUMMARY_DIGEST_HEAD = "📰 <b>最新新闻摘要</b>"
SUMMARY_TOPIC_HEAD = "📰 <b>「{query}」相关文章摘要</b>"
SUMMARY_ARTICLE_HEAD = "📰 <b>文章摘要</b>"
SUMMARY_EMPTY = "还没有可以摘要的文章。"
SUMMARY_NO_MATCH = "没有找到与「{query}」相关的文章。可以用 /articles 查看文章编号。"
ARTICLE_ID_LINE = "编号：<code>{article_id}</code>"

# --- /articles and /article -----------------------------------------------------------------

ARTICLES_HEAD = "🗂 <b>最近的文章</b>（用 /article 编号 阅读全文）"
ARTICLES_EMPTY = "数据库里还没有文章。"
ARTICLE_USAGE = "用法：/article 文章编号（用 /articles 查看编号）"
UNKNOWN_ARTICLE = "没有编号为 <code>{article_id}</code> 的文章。用 /articles 查看编号。"
UNTITLED = "（无标题）"  # plain

# --- admin --------------------------------------------------------------------------------------

ADMIN_ONLY = "抱歉，这个功能只对管理员开放。"
UPLOAD_REFUSED = "抱歉，只有管理员可以上传新闻文件。如需添加新闻，请联系管理员。"
UPLOAD_UNSUPPORTED = "不支持的文件类型「{name}」。支持：{kinds}。"
UPLOAD_TOO_BIG = "文件太大（{mb:.1f} MB）。Telegram 只允许机器人下载 20 MB 以内的文件。"
UPLOAD_RECEIVED = "已收到「{name}」，正在载入……"
INGEST_ERROR = "⚠️ {where}：{reason}"
INGEST_COUNTS = (
    "新增 {added}，未变 {unchanged}，替换 {replaced}，失败 {failed}"
    "（{files} 个文件，{passages} 个新段落，用时 {seconds:.1f} 秒）"
)
INGEST_MORE_ERRORS = "……另有 {n} 个错误"
REINDEX_STARTED = "开始重建索引，完成后通知您。期间问答照常进行。"
REINDEX_RUNNING = "索引正在重建中，请稍候。"
REINDEX_DONE = "✅ 索引已重建：{articles} 篇文章，{passages} 个段落，用时 {seconds:.1f} 秒。"
REINDEX_NO_DIRS = "（没有找到已配置的数据目录，只重建了现有文章的索引。）"
STATS = (
    "<b>运行统计</b>\n"
    "文章：{articles}\n"
    "段落：{passages}\n"
    "索引词：{terms}\n"
    "最新日期：{latest}\n"
    "数据库：{mb:.1f} MB\n"
    "今日提问：{questions}（已回答 {found}）\n"
    "延迟：p50 {p50:.0f} ms，p95 {p95:.0f} ms"
)
STATS_SOURCE = "• {name}：{n} 篇，最新 {latest}"
STATS_SOURCES = "<b>来源</b>"

DELETE_USAGE = "用法：/delete 文章编号 [更多编号]（用 /articles 查看编号）"
DELETE_DONE = "🗑 已删除 {n} 篇文章（共请求 {asked} 篇），它们不会再出现在任何回答中。"
DELETE_SOME_UNKNOWN = "其余编号不存在或已删除。"

# --- feeds (admin) -------------------------------------------------------------------------

FEEDS_HEAD = "📡 <b>订阅源</b>（/addfeed 网址 [分钟] 添加，/removefeed 编号 删除）"
FEEDS_EMPTY = (
    "还没有订阅源。用 /addfeed 网址 [分钟] 添加，例如 /addfeed https://example.com/rss.xml 30"
)
FEED_LINE = (
    "<b>{id}</b>. {url}\n   每 {minutes} 分钟 · {health} · 共新增 {items} 篇 · 上次抓取 {polled}"
)
FEED_OK = "正常"
FEED_FAILING = "连续失败 {n} 次，下次 {next}"
FEED_NEVER = "尚未抓取"
FEED_LAST_ERROR = "   ⚠️ {error}"
ADDFEED_USAGE = (
    "用法：/addfeed 网址 [间隔分钟，{low}–{high}，默认 {default}]，"
    "例如 /addfeed https://example.com/rss.xml 30"
)
ADDFEED_DONE = (
    "✅ 已添加订阅源 <b>{id}</b>：{url}\n每 {minutes} 分钟抓取一次，一分钟内开始第一次抓取。"
)
ADDFEED_INVALID = "无法添加：{reason}"
REMOVEFEED_USAGE = "用法：/removefeed 编号（用 /feeds 查看编号）"
REMOVEFEED_DONE = "已删除订阅源 {id}（它带来的文章保留）。"
REMOVEFEED_UNKNOWN = "没有编号为 {id} 的订阅源。用 /feeds 查看编号。"

# --- subscriptions ------------------------------------------------------------------------------

SUBSCRIBE_USAGE = "用法：/subscribe 关键词，例如 /subscribe 乐山 项目。有相关的新文章时我会提醒您。"
SUBSCRIBE_DONE = (
    "🔔 已订阅「{query}」（编号 {id}）。有相关的新文章时我会提醒您，"
    "每个订阅每小时最多 {per_hour} 次；用 /unsubscribe {id} 取消。"
)
SUBSCRIBE_LIMIT = "每人最多 {n} 个订阅。请先用 /unsubscribe 编号 取消一个。"
SUBSCRIPTIONS_HEAD = "🔔 <b>您的订阅</b>（/unsubscribe 编号 取消）"
SUBSCRIPTIONS_EMPTY = "您还没有订阅。用 /subscribe 关键词 订阅，例如 /subscribe 乐山 项目"
SUBSCRIPTION_LINE = "<b>{id}</b>. {query}"
UNSUBSCRIBE_USAGE = "用法：/unsubscribe 编号（用 /subscriptions 查看编号）"
UNSUBSCRIBE_DONE = "已取消订阅 {id}。"
UNSUBSCRIBE_UNKNOWN = "您没有编号为 {id} 的订阅。用 /subscriptions 查看。"
ALERT_HEAD = "🔔 <b>订阅提醒</b>：{n} 篇相关的新文章"
ALERT_QUERY = "<b>「{query}」</b>"
ALERT_ITEM = "• {item}"

# --- limits and errors --------------------------------------------------------------------------

SLOW_DOWN = "您发得太快了，请 {seconds} 秒后再试。"
SLOW_DOWN_PLAIN = "操作太频繁，请 {seconds} 秒后再试。"  # plain
UNKNOWN_COMMAND = "不认识这个命令。发送 /help 查看用法。"
ERROR = "抱歉，处理时出了点问题，请稍后再试。"
ERROR_PLAIN = "抱歉，出了点问题，请稍后再试。"  # plain
NOT_READY = "机器人正在启动，请稍后再试。"

# --- source lines --------------------------------------------------------------------------------

SOURCE_SEPARATOR = " · "
MISSING = "-"
