"""A small fixed-window counter for the public web form, kept in the default (database) cache.

The default cache is PostgreSQL (QUALITY.md §2), so a Redis outage cannot switch the limit
off. Keys hold an HMAC of the IP address or email, never the value itself (no personal data
in cache keys). Like allauth's own counters, the increment is not atomic: a burst may slip one
or two extra tries, which is accepted.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 60 * 60


@dataclass(frozen=True)
class Limit:
    scope: str  # "ip" or "email"
    allowed: int  # per window


def limits() -> dict[str, Limit]:
    """Configured in settings (SUPPORT_FORM_LIMIT_PER_IP, SUPPORT_FORM_LIMIT_PER_EMAIL)."""
    return {
        "ip": Limit("ip", getattr(settings, "SUPPORT_FORM_LIMIT_PER_IP", 10)),
        "email": Limit("email", getattr(settings, "SUPPORT_FORM_LIMIT_PER_EMAIL", 5)),
    }


def _window(now: float) -> int:
    return int(now // WINDOW_SECONDS)


def _key(scope: str, value: str, window: int) -> str:
    digest = salted_hmac("support.ratelimit", f"{scope}:{value.strip().lower()}").hexdigest()
    return f"support:rl:{scope}:{digest[:32]}:{window}"


def is_exceeded(scope: str, value: str, *, now: float | None = None) -> bool:
    """True when ``value`` (an IP address or an email) has used up this window's allowance."""
    if not value:
        return False
    now = time.time() if now is None else now
    count = cache.get(_key(scope, value, _window(now)), 0)
    return count >= limits()[scope].allowed


def hit(scope: str, value: str, *, now: float | None = None) -> None:
    """Count one use in the current window."""
    if not value:
        return
    now = time.time() if now is None else now
    key = _key(scope, value, _window(now))
    # The key lives a little longer than its window so a late read still sees it.
    if not cache.add(key, 1, timeout=WINDOW_SECONDS + 60):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=WINDOW_SECONDS + 60)


def seconds_until_reset(*, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return int(WINDOW_SECONDS - (now % WINDOW_SECONDS))
