"""Bounded per-user and per-conversation state: a sliding-window rate limit and an expiring LRU.

Both keep memory bounded no matter how many users write to the bot, and both take a `clock`
so tests can move time instead of sleeping.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

Clock = Callable[[], float]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class Verdict:
    """Whether a request may go ahead; if not, how long to wait and whether to say so."""

    allowed: bool
    retry_after: float = 0.0
    first_refusal: bool = False


class SlidingWindowLimiter:
    """At most `limit` requests per key in any `window` seconds (a true sliding window).

    Refused requests are not counted, so a user who keeps trying is let in as soon as the
    oldest counted request leaves the window. `first_refusal` is true only for the first
    refusal after an allowed request, so the bot can warn once instead of answering spam.
    """

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        *,
        clock: Clock = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[Hashable, deque[float]] = OrderedDict()  # by last request
        self._warned: set[Hashable] = set()

    def hit(self, key: Hashable) -> Verdict:
        """Count a request for `key` if the window has room."""
        now = self._clock()
        stamps = self._hits.get(key)
        if stamps is None:
            self._prune(now)
            stamps = self._hits[key] = deque()
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        if len(stamps) < self.limit:
            stamps.append(now)
            self._hits.move_to_end(key)
            self._warned.discard(key)
            return Verdict(True)
        first = key not in self._warned
        self._warned.add(key)
        return Verdict(False, stamps[0] + self.window - now, first)

    def __len__(self) -> int:
        return len(self._hits)

    def _prune(self, now: float) -> None:
        """Forget keys idle for a whole window, and the least recent ones beyond `max_keys`."""
        while self._hits:
            key, stamps = next(iter(self._hits.items()))
            idle = not stamps or stamps[-1] <= now - self.window
            if not idle and len(self._hits) < self._max_keys:
                break
            del self._hits[key]
            self._warned.discard(key)


class ExpiringLRU(Generic[K, V]):
    """A dict of at most `maxsize` entries that each live `ttl` seconds since last use."""

    def __init__(self, maxsize: int, ttl: float, *, clock: Clock = time.monotonic) -> None:
        if maxsize < 1 or ttl <= 0:
            raise ValueError("maxsize must be >= 1 and ttl > 0")
        self.maxsize = maxsize
        self.ttl = ttl
        self._clock = clock
        self._data: OrderedDict[K, tuple[V, float]] = OrderedDict()

    def put(self, key: K, value: V) -> None:
        """Store `value`, evicting the least recently used entries beyond `maxsize`."""
        self._data[key] = (value, self._clock() + self.ttl)
        self._data.move_to_end(key)
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def get(self, key: K) -> V | None:
        """The value, or None when missing or expired; a hit renews the entry's lifetime."""
        entry = self._data.get(key)
        if entry is None:
            return None
        value, expires = entry
        now = self._clock()
        if expires <= now:
            del self._data[key]
            return None
        self._data[key] = (value, now + self.ttl)
        self._data.move_to_end(key)
        return value

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class ShortKeys(Generic[V]):
    """Values stored server-side under short random keys (for ≤ 64-byte callback data)."""

    def __init__(self, maxsize: int, ttl: float, *, clock: Clock = time.monotonic) -> None:
        self._cache: ExpiringLRU[str, V] = ExpiringLRU(maxsize, ttl, clock=clock)

    def add(self, value: V) -> str:
        """Store `value` and return its new key (8 URL-safe characters)."""
        key = secrets.token_urlsafe(6)
        while self._cache.get(key) is not None:
            key = secrets.token_urlsafe(6)
        self._cache.put(key, value)
        return key

    def get(self, key: str) -> V | None:
        return self._cache.get(key)

    def clear(self) -> None:
        self._cache.clear()

    def __len__(self) -> int:
        return len(self._cache)
