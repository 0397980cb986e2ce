"""The client's address, as throttles, sign-in lockouts and the sign-in audit see it.

One rule for all of them, so that a header a client can forge never decides who it is:
REMOTE_ADDR, unless settings.TRUSTED_PROXIES says how many reverse proxies stand in front of
gunicorn. Each of them appends the address it received the request from to X-Forwarded-For, so
the entry TRUSTED_PROXIES from the right is the one the outermost trusted proxy saw; whatever a
client wrote further left is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request` (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    # Fewer entries than proxies: the request did not come through all of them (or a proxy is
    # misconfigured); the peer's own address is the only one not taken from the client.
    if len(forwarded) < proxies or not _valid(forwarded[-proxies]):
        return remote
    return forwarded[-proxies]
