"""The sliding-window rate limit and the expiring, bounded key stores."""

from __future__ import annotations

import pytest

from bot.limits import ExpiringLRU, ShortKeys, SlidingWindowLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_allows_limit_per_window_and_warns_once() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(3, 60.0, clock=clock)
    for step in range(3):
        clock.now += 10 * step
        assert limiter.hit("u").allowed
    refused = limiter.hit("u")  # t = 1030; the first request (t = 1000) frees a slot at 1060
    assert not refused.allowed and refused.first_refusal and refused.retry_after == 30.0
    again = limiter.hit("u")
    assert not again.allowed and not again.first_refusal
    assert limiter.hit("other").allowed  # per user
    clock.now = 1060.0
    assert limiter.hit("u").allowed  # a true sliding window: one slot, not a fresh minute
    assert not limiter.hit("u").allowed
    assert limiter.hit("u").first_refusal is False
    clock.now = 1200.0
    assert all(limiter.hit("u").allowed for _ in range(3))
    assert limiter.hit("u").first_refusal  # warned again after being let in


def test_refused_requests_do_not_extend_the_wait() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 60.0, clock=clock)
    assert limiter.hit(1).allowed
    for _ in range(50):
        clock.now += 1
        assert not limiter.hit(1).allowed
    clock.now = 1060.0
    assert limiter.hit(1).allowed


def test_limiter_memory_is_bounded() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 60.0, clock=clock, max_keys=100)
    for user in range(1000):
        clock.now += 0.01
        assert limiter.hit(user).allowed
    assert len(limiter) <= 100
    assert not limiter.hit(999).allowed  # the most recent users are remembered


def test_invalid_limits_are_rejected() -> None:
    with pytest.raises(ValueError):
        SlidingWindowLimiter(0)
    with pytest.raises(ValueError):
        ExpiringLRU(0, 1.0)


def test_expiring_lru_expires_renews_and_evicts_least_recent() -> None:
    clock = Clock()
    cache: ExpiringLRU[str, int] = ExpiringLRU(2, 10.0, clock=clock)
    cache.put("a", 1)
    cache.put("b", 2)
    clock.now += 8
    assert cache.get("a") == 1  # renews a
    clock.now += 5
    assert cache.get("b") is None  # expired
    assert cache.get("a") == 1
    cache.put("c", 3)
    cache.put("d", 4)  # evicts a (least recently used)
    assert (cache.get("a"), cache.get("c"), cache.get("d")) == (None, 3, 4)
    assert len(cache) == 2
    cache.clear()
    assert len(cache) == 0


def test_short_keys_are_short_unique_and_callback_safe() -> None:
    keys: ShortKeys[str] = ShortKeys(1000, 60.0)
    made = {keys.add(f"query {n}") for n in range(500)}
    assert len(made) == 500
    assert all(len(k) == 8 and k.replace("-", "").replace("_", "").isalnum() for k in made)
    key = keys.add("乐山 农商银行")
    assert keys.get(key) == "乐山 农商银行" and keys.get("missing") is None
