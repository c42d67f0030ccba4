"""Webhook mode, served by our own tornado app so it can answer `/healthz` beside Telegram.

python-telegram-bot's `Application.run_webhook` runs a tornado server with exactly one route
(the webhook) and no way to add another, so a load balancer or orchestrator could not ask
whether the bot is up. PTB documents the alternative used here ("custom webhook bot"): serve
the webhook from your own web app and put each update on `application.update_queue`. tornado
is what PTB's webhook extra already installs, so no new dependency is needed.

* ``POST /<path of WEBHOOK_URL>``: an update from Telegram; refused with 403 unless it carries
  the secret token (as PTB's own handler does), 400 when it is not an update.
* ``GET /healthz``: 200 while the bot is serving (application running, news service open),
  503 while it starts or stops.

`serve` runs the application's whole life like `run_webhook`: initialize, post_init, start
listening, setWebhook, process updates until SIGINT/SIGTERM, then stop, post_stop, shutdown,
post_shutdown (which closes the database).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update

from bot.state import App

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"


class UpdateHandler(tornado.web.RequestHandler):
    """Telegram's POSTs: check the secret token, then queue the update for the application."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot_app: App, secret: str) -> None:
        self.application_ = bot_app
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            logger.warning("refused a webhook request without the right secret token")
            self.set_status(HTTPStatus.FORBIDDEN)
            return
        try:
            data = json.loads(self.request.body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("no integer update_id")
            update = Update.de_json(data, self.application_.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            logger.warning("refused a webhook request that is not an update: %s", exc)
            self.set_status(HTTPStatus.BAD_REQUEST)
            return
        await self.application_.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def log_exception(self, *args: Any) -> None:  # our logging redacts; tornado's would not
        logger.error("webhook request failed", exc_info=args[1] if len(args) > 1 else None)


class HealthHandler(tornado.web.RequestHandler):
    """200 while the bot is serving, 503 otherwise (plain text, for probes)."""

    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, bot_app: App) -> None:
        self.application_ = bot_app

    def get(self) -> None:
        serving = self.application_.running and self.application_.bot_data.service is not None
        self.set_status(HTTPStatus.OK if serving else HTTPStatus.SERVICE_UNAVAILABLE)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("ok\n" if serving else "starting or stopping\n")

    head = get


class _QuietApplication(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: request lines would only repeat what the bot logs itself."""


def web_app(application: App, url_path: str, secret: str) -> tornado.web.Application:
    """The routes: the webhook at `/url_path` and the health check at `/healthz`."""
    path = "/" + url_path.strip("/")
    return _QuietApplication(
        [
            (HEALTH_PATH, HealthHandler, {"bot_app": application}),
            (rf"{path}/?", UpdateHandler, {"bot_app": application, "secret": secret}),
        ]
    )


async def serve(
    application: App, *, listen: str, port: int, url_path: str, webhook_url: str, secret: str
) -> None:
    """Run the bot on a webhook until SIGINT/SIGTERM (see the module docstring)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = web_app(application, url_path, secret).listen(port, address=listen)
    try:
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await application.bot.set_webhook(
            webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        await application.start()
        logger.info("serving the webhook on %s:%d (health check at %s)", listen, port, HEALTH_PATH)
        await stop.wait()
    finally:
        server.stop()
        if application.running:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
