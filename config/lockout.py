"""Sign-in lockout: too many failed log-ins (or invalid API tokens) and the door stays shut a while.

Counters live in the cache (Redis in production, so every web process sees the same counts).
A username is locked after SIFT_LOGIN_FAILURE_LIMIT failures within SIFT_LOGIN_LOCKOUT_SECONDS,
whatever address they came from (the right password is refused too, until the lockout ends); an
address is locked after SIFT_LOGIN_ADDRESS_FAILURE_LIMIT failures, whatever the usernames (password
spraying). Invalid API tokens count per address.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "sift:lockout"


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind SIFT_NUM_PROXIES trusted proxies it is the one the outermost of
    them saw (X-Forwarded-For), else every client would share the proxy's address and its lockout."""
    proxies = settings.SIFT_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))


def _keys(kind: str, *, username: str | None, ip: str) -> list[tuple[str, int]]:
    keys = [(f"{PREFIX}:{kind}:ip:{ip}", settings.SIFT_LOGIN_ADDRESS_FAILURE_LIMIT)]
    if username is not None:
        # Case-folded: "Alice" and "alice" are one account's attempts.
        keys.append((f"{PREFIX}:{kind}:user:{username.casefold()}", settings.SIFT_LOGIN_FAILURE_LIMIT))
    return keys


def locked_for(kind: str, *, username: str | None = None, ip: str) -> int:
    """Seconds until the lockout that applies ends; 0 when the door is open."""
    now = time.time()
    until = [cache.get(f"{key}:until") or 0.0 for key, _limit in _keys(kind, username=username, ip=ip)]
    return max(0, math.ceil(max(until) - now))


def record_failure(kind: str, *, username: str | None = None, ip: str) -> None:
    window = settings.SIFT_LOGIN_LOCKOUT_SECONDS
    for key, limit in _keys(kind, username=username, ip=ip):
        cache.add(key, 0, timeout=window)
        try:
            failures = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            failures = 1
        if failures >= limit:
            cache.add(f"{key}:until", time.time() + window, timeout=window)


def record_success(kind: str, *, username: str, ip: str) -> None:
    # A good log-in forgets the account's earlier typos; the address keeps its count (a sprayer
    # who owns one account must not reset the count for all the others).
    key = f"{PREFIX}:{kind}:user:{username.casefold()}"
    cache.delete_many([key, f"{key}:until"])


def wait_message(seconds: int, *, what: str = "Too many failed sign-in attempts") -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"{what}. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
