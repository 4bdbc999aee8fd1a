"""Failed-login counting shared by the login page and `POST /api/auth/token/`.

Failures are counted in the cache per (username, client address) and per client address, so
guessing one account's password and spraying many accounts from one address are both slowed;
after `LOGIN_FAILURE_LIMIT` failures (four times that per address) further attempts are refused
for `LOGIN_LOCKOUT_SECONDS`. Needs a cache shared by all web workers (Redis when `REDIS_URL` is
set) to hold across processes.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PER_ADDRESS_FACTOR = 4


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    limit = settings.LOGIN_FAILURE_LIMIT
    pair = hashlib.sha256(f"{username.casefold()}\0{address}".encode()).hexdigest()
    return [
        (f"login-fail:pair:{pair}", limit),
        (f"login-fail:addr:{address}", limit * PER_ADDRESS_FACTOR),
    ]


def login_retry_after(*, username: str, address: str) -> int:
    """Seconds until another attempt is allowed; 0 if allowed now."""
    now = time.time()
    waits = [
        cache.get(f"{key}:until", 0) - now
        for key, limit in _keys(username, address)
        if cache.get(key, 0) >= limit
    ]
    return max([0, *(int(wait) + 1 for wait in waits if wait > 0)])


def login_failed(*, username: str, address: str) -> None:
    window = settings.LOGIN_LOCKOUT_SECONDS
    for key, limit in _keys(username, address):
        if cache.add(key, 1, timeout=window):
            continue
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=window)
            continue
        if count >= limit:
            cache.set(f"{key}:until", time.time() + window, timeout=window)
            cache.touch(key, window)


def login_succeeded(*, username: str, address: str) -> None:
    pair_key = _keys(username, address)[0][0]
    cache.delete_many([pair_key, f"{pair_key}:until"])
