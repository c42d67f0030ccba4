"""A scriptable, in-process fake of the Telegram Bot API for end-to-end tests.

The real python-telegram-bot ``Application`` talks to it over HTTP exactly as it talks to
``api.telegram.org`` in production; only the base URLs differ::

    with FakeBotApi() as api:
        app = api.application_builder().build()       # token + base_url + base_file_url set
        app.add_handler(...)
        async with run_application(app):              # initialize/start/start_polling ... stop
            api.send_message("你好")                  # the user writes to the bot
            reply = await api.wait_for("sendMessage")  # the bot answered
            assert reply["text"] == "你好"

The server is a stdlib ``ThreadingHTTPServer`` running in a daemon thread, so it never
competes with the test's event loop. Everything the test calls is thread-safe; the only
coroutine is :meth:`FakeBotApi.wait_for` (a blocking twin exists: ``wait_for_sync``).

Request decoding mirrors what PTB sends: form-encoded bodies (multipart when files are
attached) whose values are raw strings for ``str`` parameters and JSON text for everything
else (numbers, booleans, ``reply_markup``, ``results``, ``commands``, ``allowed_updates``...).
:attr:`FakeBotApi.calls` holds the parameters JSON-decoded back into Python values, with
uploaded files as :class:`UploadedFile`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import sys
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message as _MimeHeaders
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

if TYPE_CHECKING:
    from telegram.ext import Application
    from telegram.ext._applicationbuilder import InitApplicationBuilder

__all__ = [
    "DEFAULT_GROUP_ID",
    "DEFAULT_TOKEN",
    "DEFAULT_USER_ID",
    "MAX_CAPTION_LENGTH",
    "MAX_MESSAGE_LENGTH",
    "ApiCall",
    "EntityParseError",
    "FakeBotApi",
    "StoredFile",
    "StoredMessage",
    "UploadedFile",
    "parse_html",
    "run_application",
    "utf16_len",
]

JSON = dict[str, Any]
Predicate = Callable[[JSON], bool]

DEFAULT_TOKEN = "123456:TEST-token"
DEFAULT_USER_ID = 1001
DEFAULT_GROUP_ID = -1001234567890
MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_LONG_POLL_SECONDS = 50.0

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"

# Parameters that PTB sends as raw strings; everything else is JSON text and gets decoded.
_STRING_PARAMS = frozenset(
    [
        "action",
        "address",
        "animation",
        "audio",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "certificate",
        "custom_title",
        "data",
        "description",
        "document",
        "emoji",
        "file_id",
        "first_name",
        "foursquare_id",
        "google_place_id",
        "inline_message_id",
        "inline_query_id",
        "ip_address",
        "language_code",
        "last_name",
        "name",
        "next_offset",
        "parse_mode",
        "phone_number",
        "photo",
        "query",
        "question",
        "secret_token",
        "short_description",
        "sticker",
        "switch_pm_parameter",
        "switch_pm_text",
        "text",
        "thumbnail",
        "title",
        "url",
        "vcard",
        "video",
        "video_note",
        "voice",
    ]
)
_CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_AUTO_ENTITY = re.compile(
    r"(?P<cmd>(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?![A-Za-z0-9_@])"
    r"|(?P<mention>(?<![\w@/])@[A-Za-z0-9_]{4,32})(?!\w)"
)


# --------------------------------------------------------------------------------------
# Public value types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request (e.g. ``document`` of ``sendDocument``)."""

    filename: str | None
    content: bytes
    content_type: str


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request made by the bot, with the answer it got."""

    method: str
    params: JSON
    status: int
    response: JSON

    @property
    def ok(self) -> bool:
        return self.status == HTTPStatus.OK


@dataclass
class StoredMessage:
    """A message the fake server knows about (sent by the bot or by a scripted user)."""

    chat_id: int
    message_id: int
    from_bot: bool
    kind: str  # "text", "document", "photo", ...: what the bot/user sent
    text: str  # plain text (text or caption) after entity parsing, as a client shows it
    entities: list[JSON] = field(default_factory=list)
    reply_markup: JSON | None = None  # only inline keyboards are stored, like Telegram
    raw_text: str = ""  # text/caption exactly as sent (HTML markup kept)
    parse_mode: str | None = None
    payload: JSON = field(default_factory=dict)  # extra Message fields (document, ...)
    date: int = 0
    edit_date: int | None = None
    deleted: bool = False
    edits: list[str] = field(default_factory=list)  # previous plain texts, oldest first


class EntityParseError(ValueError):
    """Raised by :func:`parse_html` with Telegram's description (without the prefix)."""


class _ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


def _bad_request(description: str) -> _ApiError:
    return _ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: {description}")


@dataclass
class _Failure:
    status: int
    description: str
    parameters: JSON | None
    when: Predicate | None


@dataclass
class StoredFile:
    """A file served by ``getFile`` and the file URL (see :meth:`FakeBotApi.add_file`)."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None
    mime_type: str | None


# --------------------------------------------------------------------------------------
# Telegram HTML subset
# --------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for lengths and offsets."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_ALLOWED_TAGS = frozenset({*_SIMPLE_TAGS, "a", "span", "blockquote", "tg-emoji"})
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class _TelegramHtmlParser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self._source = source
        self._line_starts = [0]
        for match in re.finditer("\n", source):
            self._line_starts.append(match.end())
        self._parts: list[str] = []
        self._length = 0  # UTF-16 units emitted so far
        self._stack: list[tuple[str, JSON | None, int]] = []
        self.entities: list[JSON] = []

    # -- helpers ------------------------------------------------------------------------
    def _char_index(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _byte_offset(self, extra_chars: int = 0) -> int:
        return len(self._source[: self._char_index() + extra_chars].encode("utf-8"))

    def _emit(self, text: str) -> None:
        self._parts.append(text)
        self._length += utf16_len(text)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    # -- HTMLParser callbacks ---------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        offset = self._byte_offset()
        if tag not in _ALLOWED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {offset}')
        attributes = dict(attrs)
        entity: JSON | None
        if tag in _SIMPLE_TAGS:
            entity = {"type": _SIMPLE_TAGS[tag]}
            if tag == "code" and self._stack and self._stack[-1][0] == "pre":
                pre_entity = self._stack[-1][1]
                language = attributes.get("class") or ""
                if pre_entity is not None and language.startswith("language-"):
                    pre_entity["language"] = language.removeprefix("language-")
                    entity = None  # <pre><code class="language-x"> is one pre entity
        elif tag == "span":
            if attributes.get("class") != "tg-spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {offset}'
                )
            entity = {"type": "spoiler"}
        elif tag == "a":
            href = attributes.get("href") or ""
            match = re.fullmatch(r"tg://user\?id=(\d+)", href)
            if match:
                user_id = int(match.group(1))
                entity = {
                    "type": "text_mention",
                    "user": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
                }
            else:
                entity = {"type": "text_link", "url": href} if href else None
        elif tag == "blockquote":
            expandable = "expandable" in attributes
            entity = {"type": "expandable_blockquote" if expandable else "blockquote"}
        else:  # tg-emoji
            emoji_id = attributes.get("emoji-id")
            if not emoji_id:
                raise EntityParseError(
                    f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}'
                )
            entity = {"type": "custom_emoji", "custom_emoji_id": emoji_id}
        self._stack.append((tag, entity, self._length))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        offset = self._byte_offset()
        if not self._stack:
            raise EntityParseError(f'Unexpected end tag "{tag}" at byte offset {offset}')
        open_tag, entity, start = self._stack[-1]
        if open_tag != tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{open_tag}>", '
                f'found "</{tag}>"'
            )
        self._stack.pop()
        if entity is not None and self._length > start:
            self.entities.append({**entity, "offset": start, "length": self._length - start})

    def handle_data(self, data: str) -> None:
        position = data.find("<")
        if position >= 0:
            after = self._source[self._char_index() + position + 1 :]
            name = re.split(r"[\s<>]", after, maxsplit=1)[0]
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {self._byte_offset(position)}'
            )
        self._emit(data)

    def handle_entityref(self, name: str) -> None:
        if name in _NAMED_ENTITIES:
            self._emit(_NAMED_ENTITIES[name])
            return
        # Telegram leaves unsupported named entities as they are.
        end = self._char_index() + 1 + len(name)
        has_semicolon = self._source[end : end + 1] == ";"
        self._emit(f"&{name}{';' if has_semicolon else ''}")

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in ("x", "X") else int(name)
            self._emit(chr(code))
        except (ValueError, OverflowError):
            self._emit(f"&#{name};")

    def _unsupported(self) -> None:
        raise EntityParseError(f'Unsupported start tag "!" at byte offset {self._byte_offset()}')

    def handle_comment(self, data: str) -> None:
        self._unsupported()

    def handle_decl(self, decl: str) -> None:
        self._unsupported()

    def handle_pi(self, data: str) -> None:
        self._unsupported()

    def unknown_decl(self, data: str) -> None:
        self._unsupported()

    def finish(self) -> None:
        self.close()
        if self._stack:
            tag = self._stack[-1][0]
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{tag}"')


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram's HTML subset into ``(plain_text, entities)``.

    Offsets and lengths are in UTF-16 code units, like Telegram's. Raises
    :class:`EntityParseError` for unsupported tags, bad nesting or unclosed tags.
    """
    parser = _TelegramHtmlParser(text)
    parser.feed(text)
    parser.finish()
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return parser.text, entities


def _auto_entities(text: str) -> list[JSON]:
    """bot_command and mention entities, as Telegram's clients/servers add them."""
    entities: list[JSON] = []
    for match in _AUTO_ENTITY.finditer(text):
        kind = "bot_command" if match.group("cmd") else "mention"
        entities.append(
            {
                "type": kind,
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    return entities


# --------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------


def _parse_multipart(body: bytes, content_type: str) -> list[tuple[str, str | UploadedFile]]:
    headers = _MimeHeaders()
    headers["content-type"] = content_type
    boundary = headers.get_param("boundary")
    if not isinstance(boundary, str):
        raise _bad_request("multipart boundary is missing")
    delimiter = b"--" + boundary.encode("latin-1")
    fields: list[tuple[str, str | UploadedFile]] = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        raw_headers, _, content = chunk.partition(b"\r\n\r\n")
        part = _MimeHeaders()
        for line in raw_headers.decode("utf-8", "replace").split("\r\n"):
            key, sep, value = line.partition(":")
            if sep:
                part[key.strip()] = value.strip()
        name = part.get_param("name", header="content-disposition")
        filename = part.get_param("filename", header="content-disposition")
        if not isinstance(name, str):
            continue
        if isinstance(filename, str):
            ctype = "application/octet-stream"
            if "content-type" in part:
                ctype = part.get_content_type()
            fields.append((name, UploadedFile(filename, content, ctype)))
        else:
            fields.append((name, content.decode("utf-8")))
    return fields


def _decode_params(raw: list[tuple[str, str | UploadedFile]]) -> JSON:
    params: JSON = {}
    for key, value in raw:
        if isinstance(value, str) and key not in _STRING_PARAMS:
            try:
                params[key] = json.loads(value)
                continue
            except ValueError:
                pass
        params[key] = value
    return params


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, api: FakeBotApi, host: str, port: int = 0) -> None:
        self.api = api
        super().__init__((host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client went away (e.g. a cancelled long poll): not interesting
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections are closed after this many seconds
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        body = self._read_body()
        status, content_type, payload = self.server.api._handle_http(
            self.path, self.headers.get("Content-Type", ""), body
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _serve
    do_POST = _serve


# --------------------------------------------------------------------------------------
# The fake server
# --------------------------------------------------------------------------------------


class FakeBotApi:
    """A scriptable Bot API server on ``127.0.0.1:<free port>`` (see the module docstring).

    * Script the user side with :meth:`send_message`, :meth:`press_button`,
      :meth:`inline_query`, :meth:`send_document`, or :meth:`push_update` for anything else.
    * Observe the bot side with :attr:`calls`, :meth:`wait_for`, :meth:`messages`,
      :meth:`message`, :meth:`last_message`, :meth:`commands`.
    * Inject failures with :meth:`fail_next`.

    ``getUpdates`` requests are not recorded in :attr:`calls` (they would drown everything
    else); :attr:`get_updates_count` counts them.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "newsbot_test_bot",
        bot_first_name: str = "NewsBot",
        host: str = "127.0.0.1",
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_user: JSON = {
            "id": int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 123456,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self._host = host
        self._cond = threading.Condition(threading.RLock())
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._url = ""
        # state, all guarded by self._cond
        self._calls: list[ApiCall] = []
        self._consumed: set[int] = set()
        self._async_waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._updates: deque[JSON] = deque()
        self._delivered: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._allowed_updates: list[str] | None = None
        self._chats: dict[int, JSON] = {}
        self._messages: dict[int, dict[int, StoredMessage]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._failures: dict[str, deque[_Failure]] = {}
        self._pending_callbacks: set[str] = set()
        self._pending_inline: set[str] = set()
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._webhook_url = ""
        self.get_updates_count = 0

    # -- lifecycle ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (only valid after :meth:`start`)."""
        if not self._url:
            raise RuntimeError("FakeBotApi is not started")
        return self._url

    @property
    def base_url(self) -> str:
        """Value for ``ApplicationBuilder.base_url``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``ApplicationBuilder.base_file_url``."""
        return f"{self.url}/file/bot"

    def start(self) -> None:
        if self._server is not None:
            return
        self._stopping = False
        # A restart (after `stop`) listens on the same port, as a server back from an outage.
        previous = int(self._url.rsplit(":", 1)[1]) if self._url else 0
        self._server = _Server(self, self._host, previous)
        port = self._server.server_address[1]
        self._url = f"http://{self._host}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeBotApi:{port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; pending long polls are answered with an empty list."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def application_builder(self) -> InitApplicationBuilder:
        """A PTB ``ApplicationBuilder`` with token, ``base_url`` and ``base_file_url`` set."""
        from telegram.ext import ApplicationBuilder

        return (
            ApplicationBuilder()
            .token(self.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
        )

    # -- scripting the user side ------------------------------------------------------------
    def push_update(self, update: JSON) -> int:
        """Queue a raw update (``update_id`` is assigned); returns the update_id."""
        with self._cond:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **update})
            self._cond.notify_all()
        return update_id

    def send_message(
        self,
        text: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: str = "private",
        username: str | None = None,
        first_name: str | None = None,
        language_code: str | None = "zh-hans",
        reply_to_bot: bool = False,
        reply_to_message_id: int | None = None,
        entities: list[JSON] | None = None,
    ) -> int:
        """The user sends ``text``; returns the update_id.

        ``bot_command`` and ``mention`` entities are added automatically unless ``entities``
        is given. ``chat_id`` defaults to ``user_id`` in private chats and to
        :data:`DEFAULT_GROUP_ID` otherwise. ``reply_to_bot`` replies to the bot's last
        message in the chat; ``reply_to_message_id`` to any known message.
        """
        with self._cond:
            user = self._user(user_id, username, first_name, language_code)
            chat = self._register_chat(chat_id, chat_type, user)
            reply_to = self._resolve_reply(chat["id"], reply_to_bot, reply_to_message_id)
            stored = self._store(
                chat["id"],
                from_bot=False,
                kind="text",
                text=text,
                entities=_auto_entities(text) if entities is None else entities,
                payload={"from": user},
            )
            message = self._message_dict(stored)
            if reply_to is not None:
                message["reply_to_message"] = self._message_dict(reply_to)
            return self.push_update({"message": message})

    def send_document(
        self,
        file_name: str,
        content: bytes,
        *,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: str = "private",
        caption: str | None = None,
        mime_type: str | None = None,
        username: str | None = None,
    ) -> int:
        """The user uploads a document; ``getFile`` and the file URL serve ``content``."""
        with self._cond:
            user = self._user(user_id, username, None, "zh-hans")
            chat = self._register_chat(chat_id, chat_type, user)
            stored_file = self.add_file(content, file_name=file_name, mime_type=mime_type)
            document = self._document_dict(stored_file)
            stored = self._store(
                chat["id"],
                from_bot=False,
                kind="document",
                text=caption or "",
                entities=_auto_entities(caption) if caption else [],
                payload={"from": user, "document": document},
            )
            return self.push_update({"message": self._message_dict(stored)})

    def add_file(
        self, content: bytes, *, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        """Register a downloadable file (``.file_id``, ``.file_path``)."""
        with self._cond:
            number = next(self._file_counter)
            suffix = ""
            if file_name and "." in file_name:
                suffix = "." + file_name.rsplit(".", 1)[1]
            stored = StoredFile(
                file_id=f"BQACAgIAAxkBAAI{number:06d}",
                file_unique_id=f"AgAD{number:06d}",
                file_path=f"documents/file_{number}{suffix}",
                content=content,
                file_name=file_name,
                mime_type=mime_type,
            )
            self._files[stored.file_id] = stored
            return stored

    def press_button(
        self,
        message_id: int,
        data: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        username: str | None = None,
        strict: bool = True,
    ) -> int:
        """The user presses an inline button with ``callback_data == data``.

        The callback query id is ``f"cbq{update_id}"``. With ``strict`` (default) the message
        must exist and carry a button with that data (``KeyError``/``ValueError`` if not).
        """
        with self._cond:
            chat_key = user_id if chat_id is None else chat_id
            stored = self._messages.get(chat_key, {}).get(message_id)
            if stored is None or stored.deleted:
                raise KeyError(f"no message {message_id} in chat {chat_key}")
            if strict:
                rows = (stored.reply_markup or {}).get("inline_keyboard", [])
                known = [b.get("callback_data") for row in rows for b in row]
                if data not in known:
                    raise ValueError(f"no button with callback_data={data!r}; have {known}")
            update_id = next(self._update_ids)
            query_id = f"cbq{update_id}"
            self._pending_callbacks.add(query_id)
            update = {
                "update_id": update_id,
                "callback_query": {
                    "id": query_id,
                    "from": self._user(user_id, username, None, "zh-hans"),
                    "chat_instance": f"ci{chat_key}",
                    "data": data,
                    "message": self._message_dict(stored),
                },
            }
            self._updates.append(update)
            self._cond.notify_all()
            return update_id

    def inline_query(
        self,
        query: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        offset: str = "",
        chat_type: str | None = "sender",
        username: str | None = None,
    ) -> int:
        """The user types ``@bot query``; the inline query id is ``f"iq{update_id}"``."""
        with self._cond:
            update_id = next(self._update_ids)
            query_id = f"iq{update_id}"
            self._pending_inline.add(query_id)
            inline: JSON = {
                "id": query_id,
                "from": self._user(user_id, username, None, "zh-hans"),
                "query": query,
                "offset": offset,
            }
            if chat_type is not None:
                inline["chat_type"] = chat_type
            self._updates.append({"update_id": update_id, "inline_query": inline})
            self._cond.notify_all()
            return update_id

    # -- observing the bot side -------------------------------------------------------------
    @property
    def calls(self) -> list[ApiCall]:
        """Snapshot of all requests except ``getUpdates``, oldest first."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str, *, ok: bool | None = True) -> list[JSON]:
        """Parameters of all calls to ``method`` (case-insensitive); ``ok=None``: any."""
        with self._cond:
            return [c.params for c in self._calls if self._matches(c, method, None, ok)]

    @property
    def delivered_updates(self) -> list[JSON]:
        """Updates the bot has received through ``getUpdates``."""
        with self._cond:
            return list(self._delivered)

    def messages(self, chat_id: int = DEFAULT_USER_ID) -> list[str]:
        """Current plain texts (captions for media) of the bot's undeleted messages in
        ``chat_id``, by message id. Edits replace the text in place."""
        with self._cond:
            return [m.text for m in self._chat_messages(chat_id) if m.from_bot]

    def history(self, chat_id: int = DEFAULT_USER_ID) -> list[StoredMessage]:
        """All messages of both sides in ``chat_id`` (including deleted ones)."""
        with self._cond:
            return sorted(self._messages.get(chat_id, {}).values(), key=lambda m: m.message_id)

    def message(self, chat_id: int, message_id: int) -> StoredMessage:
        with self._cond:
            return self._messages[chat_id][message_id]

    def last_message(self, chat_id: int = DEFAULT_USER_ID) -> StoredMessage:
        """The bot's newest undeleted message in ``chat_id``."""
        with self._cond:
            bot_messages = [m for m in self._chat_messages(chat_id) if m.from_bot]
            if not bot_messages:
                raise LookupError(f"the bot has sent nothing to chat {chat_id}")
            return bot_messages[-1]

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """The command list stored by ``setMyCommands`` for ``scope``/``language_code``."""
        with self._cond:
            return list(self._commands.get(self._commands_key(scope, language_code), []))

    @property
    def webhook_url(self) -> str:
        return self._webhook_url

    def _matches(
        self, call: ApiCall, method: str, predicate: Predicate | None, ok: bool | None
    ) -> bool:
        if call.method.lower() != method.lower():
            return False
        if ok is not None and call.ok != ok:
            return False
        return predicate is None or predicate(call.params)

    def _take(self, method: str, predicate: Predicate | None, ok: bool | None) -> ApiCall | None:
        with self._cond:
            for index, call in enumerate(self._calls):
                if index not in self._consumed and self._matches(call, method, predicate, ok):
                    self._consumed.add(index)
                    return call
            return None

    def _timeout_message(self, method: str, timeout: float) -> str:
        recent = ", ".join(f"{c.method}{'' if c.ok else f'[{c.status}]'}" for c in self.calls[-15:])
        return f"no matching {method} call within {timeout}s; recent calls: [{recent}]"

    async def wait_for(
        self,
        method: str,
        predicate: Predicate | None = None,
        timeout: float = 10.0,
        *,
        ok: bool | None = True,
    ) -> JSON:
        """Wait until the bot made a matching call and return its parameters.

        Each call is handed out once: consecutive ``wait_for("sendMessage")`` return
        consecutive messages. Only successful calls match unless ``ok`` is False/None.
        Raises ``TimeoutError`` listing the recent calls.
        """
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        waiter = (loop, event)
        deadline = loop.time() + timeout
        with self._cond:
            self._async_waiters.append(waiter)
        try:
            while True:
                event.clear()
                call = self._take(method, predicate, ok)
                if call is not None:
                    return call.params
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_message(method, timeout))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
        finally:
            with self._cond:
                self._async_waiters.remove(waiter)

    def wait_for_sync(
        self,
        method: str,
        predicate: Predicate | None = None,
        timeout: float = 10.0,
        *,
        ok: bool | None = True,
    ) -> JSON:
        """Blocking :meth:`wait_for`; never call it from the loop the bot runs in."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                call = self._take(method, predicate, ok)
                if call is not None:
                    return call.params
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_message(method, timeout))
                self._cond.wait(remaining)

    # -- fault injection --------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        *,
        status: int = HTTPStatus.TOO_MANY_REQUESTS,
        retry_after: int = 1,
        description: str | None = None,
        times: int = 1,
        when: Predicate | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (matching ``when``) with an error.

        429 answers carry ``parameters.retry_after`` (PTB raises ``RetryAfter``); 400 gives
        ``BadRequest``, 403 ``Forbidden``, 409 ``Conflict``, 5xx ``NetworkError``.
        """
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after}",
                400: "Bad Request",
                403: "Forbidden: bot was blocked by the user",
                409: "Conflict: terminated by other getUpdates request",
            }.get(int(status)) or _status_phrase(int(status))
        parameters = {"retry_after": retry_after} if status == 429 else None
        failure = _Failure(int(status), description, parameters, when)
        with self._cond:
            queue = self._failures.setdefault(method.lower(), deque())
            queue.extend(failure for _ in range(times))

    # -- internals: state helpers (call with self._cond held) ---------------------------------
    def _user(
        self, user_id: int, username: str | None, first_name: str | None, lang: str | None
    ) -> JSON:
        user: JSON = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or f"User{user_id}",
            "username": username or f"user{user_id}",
        }
        if lang:
            user["language_code"] = lang
        return user

    def _register_chat(self, chat_id: int | None, chat_type: str, user: JSON) -> JSON:
        if chat_type == "private":
            chat: JSON = {"id": user["id"] if chat_id is None else chat_id, "type": "private"}
            chat["first_name"] = user["first_name"]
            chat["username"] = user["username"]
        else:
            chat = {
                "id": DEFAULT_GROUP_ID if chat_id is None else chat_id,
                "type": chat_type,
                "title": "测试群",
            }
        self._chats[chat["id"]] = chat
        return chat

    def _chat(self, chat_id: int) -> JSON:
        known = self._chats.get(chat_id)
        if known is not None:
            return known
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "测试群"}

    def _chat_messages(self, chat_id: int) -> list[StoredMessage]:
        stored = self._messages.get(chat_id, {}).values()
        return sorted((m for m in stored if not m.deleted), key=lambda m: m.message_id)

    def _resolve_reply(
        self, chat_id: int, reply_to_bot: bool, reply_to_message_id: int | None
    ) -> StoredMessage | None:
        if reply_to_message_id is not None:
            return self._messages[chat_id][reply_to_message_id]
        if reply_to_bot:
            bot_messages = [m for m in self._chat_messages(chat_id) if m.from_bot]
            if not bot_messages:
                raise LookupError(f"reply_to_bot: the bot has sent nothing to chat {chat_id}")
            return bot_messages[-1]
        return None

    def _store(
        self,
        chat_id: int,
        *,
        from_bot: bool,
        kind: str,
        text: str,
        entities: list[JSON],
        payload: JSON,
        reply_markup: JSON | None = None,
        raw_text: str | None = None,
        parse_mode: str | None = None,
    ) -> StoredMessage:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        stored = StoredMessage(
            chat_id=chat_id,
            message_id=next(counter),
            from_bot=from_bot,
            kind=kind,
            text=text,
            entities=entities,
            reply_markup=reply_markup,
            raw_text=text if raw_text is None else raw_text,
            parse_mode=parse_mode,
            payload=payload,
            date=int(time.time()),
        )
        self._messages.setdefault(chat_id, {})[stored.message_id] = stored
        return stored

    def _message_dict(self, stored: StoredMessage) -> JSON:
        message: JSON = {
            "message_id": stored.message_id,
            "date": stored.date,
            "chat": self._chat(stored.chat_id),
        }
        if stored.from_bot:
            message["from"] = self.bot_user
        message.update(stored.payload)
        text_key = "text" if stored.kind == "text" else "caption"
        if stored.text or stored.kind == "text":
            message[text_key] = stored.text
        if stored.entities:
            message["entities" if text_key == "text" else "caption_entities"] = stored.entities
        if stored.reply_markup is not None:
            message["reply_markup"] = stored.reply_markup
        if stored.edit_date is not None:
            message["edit_date"] = stored.edit_date
        return message

    @staticmethod
    def _document_dict(stored: StoredFile) -> JSON:
        document: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return document

    @staticmethod
    def _commands_key(scope: JSON | None, language_code: str | None) -> tuple[str, str]:
        scope = scope or {"type": "default"}
        return json.dumps(scope, sort_keys=True), language_code or ""

    # -- internals: HTTP entry point (server threads) --------------------------------------
    def _handle_http(self, raw_path: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        parts = urlsplit(raw_path)
        path = unquote(parts.path)  # PTB percent-encodes the ':' of the token in file URLs
        file_prefix = f"/file/bot{self.token}/"
        if path.startswith(file_prefix):
            return self._serve_file(path.removeprefix(file_prefix))
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z0-9_]+)/?", path)
        if match is None:
            return self._json_response(_ApiError(HTTPStatus.NOT_FOUND, "Not Found"))
        if match.group(1) != self.token:
            return self._json_response(_ApiError(HTTPStatus.UNAUTHORIZED, "Unauthorized"))
        method = match.group(2)
        try:
            raw = parse_qsl(parts.query, keep_blank_values=True)
            fields: list[tuple[str, str | UploadedFile]] = list(raw)
            ctype = content_type.split(";", 1)[0].strip().lower()
            if ctype == "multipart/form-data":
                fields += _parse_multipart(body, content_type)
            elif ctype == "application/json" and body:
                fields += [
                    (k, v if isinstance(v, str) else json.dumps(v))
                    for k, v in json.loads(body).items()
                ]
            elif body:
                fields += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            params = _decode_params(fields)
        except (ValueError, _ApiError) as exc:
            error = exc if isinstance(exc, _ApiError) else _bad_request(str(exc))
            return self._json_response(error)
        outcome: Any | _ApiError
        try:
            outcome = self._call(method, params)
        except _ApiError as exc:
            outcome = exc
        except Exception as exc:  # a bug in the fake: answer 500 and keep serving
            outcome = _ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, f"fake server bug: {exc!r}")
        return self._json_response(outcome)

    @staticmethod
    def _response_body(outcome: Any) -> tuple[int, JSON]:
        if isinstance(outcome, _ApiError):
            body: JSON = {
                "ok": False,
                "error_code": outcome.status,
                "description": outcome.description,
            }
            if outcome.parameters:
                body["parameters"] = outcome.parameters
            return outcome.status, body
        return HTTPStatus.OK, {"ok": True, "result": outcome}

    def _json_response(self, outcome: Any) -> tuple[int, str, bytes]:
        status, body = self._response_body(outcome)
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return status, "application/json", payload

    def _serve_file(self, file_path: str) -> tuple[int, str, bytes]:
        with self._cond:
            for stored in self._files.values():
                if stored.file_path == file_path:
                    ctype = stored.mime_type or "application/octet-stream"
                    return HTTPStatus.OK, ctype, stored.content
        return self._json_response(_ApiError(HTTPStatus.NOT_FOUND, "Not Found"))

    def _call(self, method: str, params: JSON) -> Any:
        key = method.lower()
        if key == "getupdates":
            return self._get_updates(params)
        outcome: Any | _ApiError
        with self._cond:
            failure = self._pop_failure(key, params)
            if failure is not None:
                outcome = _ApiError(failure.status, failure.description, failure.parameters)
            else:
                handler = self._handlers().get(key)
                try:
                    outcome = handler(params) if handler is not None else True
                except _ApiError as exc:
                    outcome = exc
            status, body = self._response_body(outcome)
            self._calls.append(ApiCall(method, params, status, body))
            self._cond.notify_all()
            waiters = list(self._async_waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # loop already closed
                loop.call_soon_threadsafe(event.set)
        if isinstance(outcome, _ApiError):
            raise outcome
        return outcome

    def _pop_failure(self, key: str, params: JSON) -> _Failure | None:
        queue = self._failures.get(key)
        if not queue:
            return None
        for failure in queue:
            if failure.when is None or failure.when(params):
                queue.remove(failure)
                return failure
        return None

    def _handlers(self) -> Mapping[str, Callable[[JSON], Any]]:
        return {
            "getme": lambda _p: self.bot_user,
            "logout": lambda _p: True,
            "close": lambda _p: True,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "deletemessages": self._delete_messages,
            "forwardmessage": self._forward_message,
            "copymessage": self._copy_message,
            "answercallbackquery": self._answer_callback_query,
            "answerinlinequery": self._answer_inline_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendchataction": self._send_chat_action,
            "getfile": self._get_file,
            "senddocument": self._send_document,
            "sendmediagroup": self._send_media_group,
            **{
                f"send{kind}": self._send_media(kind)
                for kind in [
                    "photo",
                    "audio",
                    "video",
                    "voice",
                    "animation",
                    "videonote",
                    "sticker",
                    "location",
                    "venue",
                    "contact",
                    "poll",
                    "dice",
                ]
            },
        }

    # -- internals: getUpdates --------------------------------------------------------------
    def _get_updates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = min(float(params.get("timeout") or 0), MAX_LONG_POLL_SECONDS)
        deadline = time.monotonic() + timeout
        with self._cond:
            self.get_updates_count += 1
            if self._webhook_url:
                raise _ApiError(
                    HTTPStatus.CONFLICT,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            failure = self._pop_failure("getupdates", params)
            if failure is not None:
                raise _ApiError(failure.status, failure.description, failure.parameters)
            allowed = params.get("allowed_updates")
            if isinstance(allowed, list):
                self._allowed_updates = [str(a) for a in allowed] or None
            if offset < 0:
                while len(self._updates) > -offset:
                    self._updates.popleft()
            elif offset > 0:
                while self._updates and self._updates[0]["update_id"] < offset:
                    self._updates.popleft()
            while True:
                ready = [u for u in self._updates if self._is_allowed(u)][:limit]
                remaining = deadline - time.monotonic()
                if ready or self._stopping or remaining <= 0:
                    known = {u["update_id"] for u in self._delivered}
                    self._delivered += [u for u in ready if u["update_id"] not in known]
                    return ready
                self._cond.wait(remaining)

    def _is_allowed(self, update: JSON) -> bool:
        if self._allowed_updates is None:
            return True
        return any(kind in update for kind in self._allowed_updates)

    # -- internals: method implementations (self._cond held) ---------------------------------
    def _chat_id(self, params: JSON, key: str = "chat_id") -> int:
        value = params.get(key)
        if value is None or value == "":
            raise _bad_request(f"{key} is empty")
        if isinstance(value, bool) or not isinstance(value, int):
            for chat in self._chats.values():
                if isinstance(value, str) and chat.get("username") == value.lstrip("@"):
                    return int(chat["id"])
            raise _bad_request("chat not found")
        return value

    def _stored_for_edit(self, params: JSON) -> StoredMessage:
        chat_id = self._chat_id(params)
        stored = self._messages.get(chat_id, {}).get(int(params.get("message_id") or 0))
        if stored is None or stored.deleted:
            raise _bad_request("message to edit not found")
        if not stored.from_bot:
            raise _bad_request("message can't be edited")
        return stored

    @staticmethod
    def _render(
        params: JSON, key: str, limit: int, too_long: str, *, required: bool
    ) -> tuple[str, list[JSON], str]:
        """(plain text, entities, raw text) of ``params[key]`` with Telegram's checks."""
        raw = params.get(key)
        raw = "" if raw is None else str(raw)
        parse_mode = str(params.get("parse_mode") or "")
        entities_key = "entities" if key == "text" else "caption_entities"
        if parse_mode.lower() == "html":
            try:
                plain, entities = parse_html(raw)
            except EntityParseError as exc:
                raise _bad_request(f"can't parse entities: {exc}") from None
        else:
            plain = raw
            given = params.get(entities_key)
            entities = list(given) if isinstance(given, list) else []
        stripped = plain.strip()
        if required and not stripped:
            raise _bad_request("message text is empty")
        if utf16_len(stripped) > limit:
            raise _bad_request(too_long)
        return plain, entities, raw

    @staticmethod
    def _inline_markup(params: JSON) -> JSON | None:
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            return markup
        return None

    def _send_message(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        plain, entities, raw = self._render(
            params, "text", MAX_MESSAGE_LENGTH, "message is too long", required=True
        )
        stored = self._store(
            chat_id,
            from_bot=True,
            kind="text",
            text=plain,
            entities=entities,
            payload={},
            reply_markup=self._inline_markup(params),
            raw_text=raw,
            parse_mode=params.get("parse_mode"),
        )
        return self._message_dict(stored)

    def _apply_edit(
        self,
        stored: StoredMessage,
        plain: str,
        entities: list[JSON],
        markup: JSON | None,
        raw: str,
        parse_mode: str | None,
    ) -> JSON:
        if (plain, entities, markup) == (stored.text, stored.entities, stored.reply_markup):
            raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        if plain != stored.text:
            stored.edits.append(stored.text)
        stored.text, stored.entities, stored.reply_markup = plain, entities, markup
        stored.raw_text, stored.parse_mode = raw, parse_mode
        stored.edit_date = int(time.time())
        return self._message_dict(stored)

    def _edit_message_text(self, params: JSON) -> JSON | bool:
        plain, entities, raw = self._render(
            params, "text", MAX_MESSAGE_LENGTH, "message is too long", required=True
        )
        if params.get("inline_message_id"):
            return True
        stored = self._stored_for_edit(params)
        if stored.kind != "text":
            raise _bad_request("there is no text in the message to edit")
        markup = self._inline_markup(params)
        return self._apply_edit(stored, plain, entities, markup, raw, params.get("parse_mode"))

    def _edit_message_caption(self, params: JSON) -> JSON | bool:
        plain, entities, raw = self._render(
            params, "caption", MAX_CAPTION_LENGTH, "message caption is too long", required=False
        )
        if params.get("inline_message_id"):
            return True
        stored = self._stored_for_edit(params)
        if stored.kind == "text":
            raise _bad_request("there is no caption in the message to edit")
        markup = self._inline_markup(params)
        return self._apply_edit(stored, plain, entities, markup, raw, params.get("parse_mode"))

    def _edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            return True
        stored = self._stored_for_edit(params)
        markup = self._inline_markup(params)
        return self._apply_edit(
            stored, stored.text, stored.entities, markup, stored.raw_text, stored.parse_mode
        )

    def _delete_message(self, params: JSON) -> bool:
        chat_id = self._chat_id(params)
        stored = self._messages.get(chat_id, {}).get(int(params.get("message_id") or 0))
        if stored is None or stored.deleted:
            raise _bad_request("message to delete not found")
        stored.deleted = True
        return True

    def _delete_messages(self, params: JSON) -> bool:
        chat_id = self._chat_id(params)
        for message_id in params.get("message_ids") or []:
            stored = self._messages.get(chat_id, {}).get(int(message_id))
            if stored is not None:
                stored.deleted = True
        return True

    def _forward_message(self, params: JSON) -> JSON:
        source = self._messages.get(self._chat_id(params, "from_chat_id"), {}).get(
            int(params.get("message_id") or 0)
        )
        if source is None or source.deleted:
            raise _bad_request("message to forward not found")
        stored = self._store(
            self._chat_id(params),
            from_bot=True,
            kind=source.kind,
            text=source.text,
            entities=list(source.entities),
            payload={k: v for k, v in source.payload.items() if k != "from"},
        )
        return self._message_dict(stored)

    def _copy_message(self, params: JSON) -> JSON:
        return {"message_id": self._forward_message(params)["message_id"]}

    def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._pending_callbacks:
            raise _ApiError(HTTPStatus.BAD_REQUEST, QUERY_INVALID)
        return True

    def _answer_inline_query(self, params: JSON) -> bool:
        query_id = str(params.get("inline_query_id") or "")
        if query_id not in self._pending_inline:
            raise _ApiError(HTTPStatus.BAD_REQUEST, QUERY_INVALID)
        results = params.get("results")
        if not isinstance(results, list):
            raise _bad_request('field "results" must be an Array')
        if len(results) > 50:
            raise _bad_request("RESULTS_TOO_MUCH")
        ids = [r.get("id") for r in results if isinstance(r, dict)]
        if len(ids) != len(set(ids)):
            raise _bad_request("RESULT_ID_DUPLICATE")
        return True

    def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("BOT_COMMANDS_TOO_MUCH" if commands else "commands is empty")
        for command in commands:
            if not isinstance(command, dict):
                raise _bad_request("can't parse BotCommand")
            if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _get_my_commands(self, params: JSON) -> list[JSON]:
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        return list(self._commands.get(key, []))

    def _delete_my_commands(self, params: JSON) -> bool:
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self._commands.pop(key, None)
        return True

    def _send_chat_action(self, params: JSON) -> bool:
        self._chat_id(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    def _get_file(self, params: JSON) -> JSON:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise _bad_request("invalid file_id")
        if len(stored.content) > 20 * 1024 * 1024:
            raise _bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def _send_document(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        document = params.get("document")
        if isinstance(document, UploadedFile):
            stored_file = self.add_file(
                document.content, file_name=document.filename, mime_type=document.content_type
            )
        elif isinstance(document, str) and document in self._files:
            stored_file = self._files[document]
        elif isinstance(document, str) and document.startswith(("http://", "https://")):
            name = document.rsplit("/", 1)[-1] or None
            stored_file = self.add_file(b"", file_name=name)
        else:
            raise _bad_request("wrong file identifier/HTTP URL specified")
        plain, entities, raw = self._render(
            params, "caption", MAX_CAPTION_LENGTH, "message caption is too long", required=False
        )
        stored = self._store(
            chat_id,
            from_bot=True,
            kind="document",
            text=plain,
            entities=entities,
            payload={"document": self._document_dict(stored_file)},
            reply_markup=self._inline_markup(params),
            raw_text=raw,
            parse_mode=params.get("parse_mode"),
        )
        return self._message_dict(stored)

    def _send_media(self, kind: str) -> Callable[[JSON], JSON]:
        def send(params: JSON) -> JSON:
            chat_id = self._chat_id(params)
            plain, entities, raw = self._render(
                params,
                "caption",
                MAX_CAPTION_LENGTH,
                "message caption is too long",
                required=False,
            )
            stored = self._store(
                chat_id,
                from_bot=True,
                kind=kind,
                text=plain,
                entities=entities,
                payload={},
                reply_markup=self._inline_markup(params),
                raw_text=raw,
                parse_mode=params.get("parse_mode"),
            )
            return self._message_dict(stored)

        return send

    def _send_media_group(self, params: JSON) -> list[JSON]:
        chat_id = self._chat_id(params)
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _bad_request("wrong number of media items")
        messages = []
        for item in media:
            caption = str(item.get("caption") or "") if isinstance(item, dict) else ""
            kind = str(item.get("type", "media")) if isinstance(item, dict) else "media"
            stored = self._store(
                chat_id, from_bot=True, kind=kind, text=caption, entities=[], payload={}
            )
            messages.append(self._message_dict(stored))
        return messages

    def _set_webhook(self, params: JSON) -> bool:
        self._webhook_url = str(params.get("url") or "")
        return True

    def _delete_webhook(self, params: JSON) -> bool:
        self._webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, _params: JSON) -> JSON:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }


@contextlib.asynccontextmanager
async def run_application(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    timeout: int = 1,
    drop_pending_updates: bool = False,
    hooks: bool = False,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run ``application`` with polling inside the current event loop, as production does
    (``initialize``, ``start``, ``updater.start_polling``), and shut it down afterwards.

    With ``hooks`` it also runs ``post_init`` and ``post_shutdown`` around that, as
    ``run_polling`` does (the bot opens and closes its database there)."""
    from telegram import Update

    if application.updater is None:
        raise RuntimeError("the application has no updater")
    await application.initialize()
    try:
        if hooks and application.post_init:
            await application.post_init(application)
        await application.start()
        await application.updater.start_polling(
            poll_interval=0,
            timeout=timeout,
            drop_pending_updates=drop_pending_updates,
            allowed_updates=Update.ALL_TYPES,
        )
        yield application
    finally:
        if application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if hooks and application.post_shutdown:
            await application.post_shutdown(application)
