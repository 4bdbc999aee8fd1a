"""Failed-password counting for every way in: the login page, the admin's login, the token
endpoint and anything else that calls `authenticate()`, all through `LockoutModelBackend`.

The policy, within a window of `LOGIN_LOCKOUT_SECONDS`:
- an account is locked from one client address after `LOGIN_FAILURE_LIMIT` failures from it
  (username + address), and from everywhere after four times that from any addresses
  (username alone: one account guessed from many addresses);
- an address with four times the limit in failures across usernames (a spray) is slowed, never
  locked: each further failure from it locks that username for that address at once, so it
  gets one guess per account instead of the limit. A correct password for an account that is
  not itself locked is always accepted, so one address (a proxy many people share) can never
  lock everyone out.
Counts live in the cache, which all web workers must share (Redis when `REDIS_URL` is set).
"""

import hashlib
import time
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from core.client_address import client_address

WIDE_FACTOR = 4


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _keys(username: str, address: str) -> dict[str, str]:
    # The form NFKC-normalises and strips a username before checking it: count it that way.
    name = unicodedata.normalize("NFKC", username).strip().casefold()
    return {
        "pair": f"login-fail:pair:{_digest(name, address)}",
        "user": f"login-fail:user:{_digest(name)}",
        "addr": f"login-fail:addr:{_digest(address)}",
    }


def login_retry_after(*, username: str, address: str) -> int:
    """Seconds until this username may try again from this address; 0 if it may now."""
    keys = _keys(username, address)
    now = time.time()
    waits = [cache.get(f"{keys[kind]}:until", 0) - now for kind in ("pair", "user")]
    return max([0, *(int(wait) + 1 for wait in waits if wait > 0)])


def _count(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return 1


def _lock(key: str, window: int) -> None:
    cache.set(f"{key}:until", time.time() + window, timeout=window)
    cache.touch(key, window)


def login_failed(*, username: str, address: str) -> None:
    window, limit = settings.LOGIN_LOCKOUT_SECONDS, settings.LOGIN_FAILURE_LIMIT
    keys = _keys(username, address)
    counts = {kind: _count(key, window) for kind, key in keys.items()}
    if counts["pair"] >= limit or counts["addr"] >= limit * WIDE_FACTOR:
        _lock(keys["pair"], window)
    if counts["user"] >= limit * WIDE_FACTOR:
        _lock(keys["user"], window)


def login_succeeded(*, username: str, address: str) -> None:
    pair_key = _keys(username, address)["pair"]
    cache.delete_many([pair_key, f"{pair_key}:until"])


def request_address(request: HttpRequest | None) -> str:
    # authenticate() without a request (a shell, a test client's login()) has no address.
    return client_address(request) if request is not None else "none"


class LockoutModelBackend(ModelBackend):
    """Django's username-and-password check, refused while the account is locked and counted
    either way, so every path that checks a password holds the same lockout."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None
        address = request_address(request)
        if login_retry_after(username=username, address=address):
            raise PermissionDenied("Too many failed logins; try again later.")
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            login_failed(username=username, address=address)
        else:
            login_succeeded(username=username, address=address)
        return user
