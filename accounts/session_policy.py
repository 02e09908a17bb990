"""Session timeouts (QUALITY.md §2): idle 25 min, absolute 12 h (staff, representatives) or 2 h.

Two timestamps live in the session, both seconds since the epoch:

- ``auth_time``: when the person signed in (written by ``AccountAdapter.login``);
- ``last_activity``: the last request that renews the session (navigation, posts, the
  keepalive; never a request marked ``X-Poll: 1``).

The server enforces both limits in ``SessionPolicyMiddleware``; the warning dialog only
mirrors them. Django's own row expiry stays at ``SESSION_COOKIE_AGE`` (12 h) so an idle
session can still be recognised, explained and deleted when its owner comes back.
"""

import time
from dataclasses import dataclass

from django.conf import settings

AUTH_TIME_KEY = "portal_auth_time"
LAST_ACTIVITY_KEY = "portal_last_activity"

IDLE = "idle"
ABSOLUTE = "absolute"


def now() -> float:
    return time.time()


def absolute_limit(user) -> int:
    """Clients get a shorter absolute session than representatives and staff."""
    if getattr(user, "needs_mfa", True):
        return settings.SESSION_ABSOLUTE_SECONDS_STAFF
    return settings.SESSION_ABSOLUTE_SECONDS_CLIENT


def activity_resolution() -> int:
    """How stale ``last_activity`` may get before a renewing request rewrites it.

    Writing the session on every request costs a database UPDATE per page; once a minute
    (1/25 of the idle window) is plenty and always errs towards an earlier expiry.
    """
    return min(60, settings.SESSION_IDLE_SECONDS // 25)


def session_start(session, *, at: float | None = None) -> None:
    """Record a fresh sign-in: both clocks start now."""
    at = now() if at is None else at
    session[AUTH_TIME_KEY] = at
    session[LAST_ACTIVITY_KEY] = at


@dataclass(frozen=True)
class SessionState:
    expired: str | None  # None, IDLE or ABSOLUTE
    expires_in: int  # seconds until the first limit is reached (0 when expired)


def session_state(session, user, *, at: float | None = None) -> SessionState:
    """Where this session stands against both limits at ``at`` (default: now)."""
    at = now() if at is None else at
    auth_time = session.get(AUTH_TIME_KEY)
    last_activity = session.get(LAST_ACTIVITY_KEY)
    if auth_time is None or last_activity is None:
        # Not started by our sign-in: treat as expired rather than as unlimited.
        return SessionState(expired=ABSOLUTE, expires_in=0)
    absolute_left = auth_time + absolute_limit(user) - at
    idle_left = last_activity + settings.SESSION_IDLE_SECONDS - at
    if absolute_left <= 0:
        return SessionState(expired=ABSOLUTE, expires_in=0)
    if idle_left <= 0:
        return SessionState(expired=IDLE, expires_in=0)
    return SessionState(expired=None, expires_in=int(min(absolute_left, idle_left)))


def session_renew(session, *, at: float | None = None, force: bool = False) -> None:
    """Move the idle clock forward after a user action (throttled unless ``force``)."""
    at = now() if at is None else at
    last = session.get(LAST_ACTIVITY_KEY, 0)
    if force or at - last >= activity_resolution():
        session[LAST_ACTIVITY_KEY] = at
