"""The one rule for a request's client address, which every limiter uses: the login lockout
and DRF's throttles (whose `NUM_PROXIES` setting is set to the same number).

With `TRUSTED_PROXIES = 0` (the default) the client is the peer the server sees, `REMOTE_ADDR`,
and `X-Forwarded-For` is ignored, since a client can write anything there. Behind n trusted
proxies, each appends the address it received the request from, so the client is the n-th
entry from the end; the entries before it were written by the client and are ignored too.
"""

from typing import Any

from django.conf import settings


def client_address(request: Any) -> str:
    """The address of the client that sent `request` (a Django or DRF request)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    return hops[-min(proxies, len(hops))] or remote
