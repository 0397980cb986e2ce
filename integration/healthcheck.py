"""The web container's health check: GET /healthz from inside the container, as a proxy would.

Run as a script (`python integration/healthcheck.py`, docker-compose.yml): standard library
only, so it needs neither Django nor the settings to load. Django answers 400 to a Host it does
not allow, so the probe sends one that ALLOWED_HOSTS accepts, whatever the deployment sets it
to; X-Forwarded-Proto says HTTPS so SECURE_SSL_REDIRECT does not bounce it.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def probe_host(allowed_hosts: str) -> str:
    """A Host header that Django accepts under `allowed_hosts` (the ALLOWED_HOSTS variable)."""
    first = next((host.strip() for host in allowed_hosts.split(",") if host.strip()), "")
    if first in ("", "*"):
        return "localhost"
    # ".example.org" allows example.org itself as well as its subdomains.
    return first.removeprefix(".")


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")
    request = urllib.request.Request(  # noqa: S310  (a fixed http URL, or the operator's)
        url,
        headers={
            "Host": probe_host(os.environ.get("ALLOWED_HOSTS", "")),
            "X-Forwarded-Proto": "https",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except OSError as error:  # refused, timed out, or an HTTP error such as 503
        sys.stderr.write(f"healthcheck: {url}: {error}\n")  # docker inspect shows it
        return 1


if __name__ == "__main__":
    sys.exit(main())
