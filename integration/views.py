"""Project-level views: the health check and the favicon's old address."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from integration.celery import app as celery_app

# Probes give up after a few seconds (compose: 5 s); the answer must come before they do,
# whatever a dependency does. Each check also has its own socket timeouts (settings), so a
# check that missed the deadline still ends soon after and its thread with it.
HEALTHZ_DEADLINE_SECONDS = 2.5


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False
    finally:
        # The check runs in a thread of its own, which opened this connection: close it.
        connection.close()


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=2)
        return True
    except Exception:
        return False


def _checks_within(deadline: float, checks: dict[str, Callable[[], bool]]) -> dict[str, bool]:
    """Run the checks side by side; one that has not answered by the deadline counts as down.

    Threads, because a hung server blocks inside a socket call that nothing can interrupt; the
    request returns without them and they end on their own timeouts.
    """
    results: dict[str, bool] = {}

    def run(name: str, check: Callable[[], bool]) -> None:
        results[name] = check()

    threads = [
        threading.Thread(target=run, args=(name, check), daemon=True, name=f"healthz-{name}")
        for name, check in checks.items()
    ]
    for thread in threads:
        thread.start()
    end = time.monotonic() + deadline
    for thread in threads:
        thread.join(timeout=max(0.0, end - time.monotonic()))
    return {name: results.get(name, False) for name in checks}


@login_not_required  # load balancers and monitors probe it without a session; it reveals no data
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status: 200 when both answer, 503 otherwise, within 3 seconds."""
    checks = _checks_within(
        HEALTHZ_DEADLINE_SECONDS, {"database": _database_ok, "broker": _broker_ok}
    )
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"} | {
        name: "ok" if ok else "unavailable" for name, ok in checks.items()
    }
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required  # browsers ask for it on every page, the login page and the admin included
@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """/favicon.ico, which browsers request where a page names no icon: the static SVG."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
