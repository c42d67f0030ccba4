"""The bot's Telegram handlers, one module per audience, each handler a few lines.

`commands` answers everyone (questions, /search, /summary, articles, buttons), `admin` the
operators (reindex, stats, feeds, uploads), `subscriptions` the keyword alerts, `inline` the
``@bot words`` queries, and `errors` reports failures. They share `replying` (how a reply is
sent), `gates` (who gets an answer: filters, admin check, rate limit) and `arguments` (what
follows a command). `bot.app` routes updates to them.
"""
