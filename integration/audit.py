"""The sign-in audit: who signed in, failed, signed out, issued or revoked a token; when, from
which address (integration.network's rule) and by which method.

Sign-ins, failures and sign-outs come from Django's auth signals, so every way in is recorded,
the single sign-on's included (its backend's path names the method). Token events are recorded
by the pages that create and revoke tokens, which know the request.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from integration.models import SignInEvent
from integration.network import client_address
from integration.spreadsheet import cell_safe

Kind = SignInEvent.Kind
Method = SignInEvent.Method


def signin_event_record(
    *,
    kind: str,
    method: str,
    request: HttpRequest | None,
    user=None,
    username: str = "",
    detail: str = "",
) -> SignInEvent:
    """Store one audit entry; the address comes from `request` (None: no address)."""
    address = client_address(request) if request is not None else ""
    return SignInEvent.objects.create(
        kind=kind,
        method=method,
        user=user if user is not None and user.pk else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        address=address or None,
        detail=detail[:200],
    )


def _method_of_backend(path: str) -> str:
    return Method.OIDC if "oidc" in path.lower() else Method.PASSWORD


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    backend = getattr(user, "backend", "") or request.session.get(BACKEND_SESSION_KEY, "")
    signin_event_record(
        kind=Kind.SIGNED_IN, method=_method_of_backend(backend), request=request, user=user
    )


@receiver(user_login_failed, dispatch_uid="audit_failed")
def _failed(sender, credentials, request=None, **kwargs) -> None:
    # authenticate() passes the credentials with the password masked; a password sign-in has
    # one, the single sign-on's callback passes the request alone.
    method = Method.PASSWORD if "password" in credentials else Method.OIDC
    username = str(credentials.get("username") or "")
    # The account the attempt was against, when the username names one.
    user = get_user_model().objects.filter(username=username).first() if username else None
    signin_event_record(
        kind=Kind.FAILED, method=method, request=request, user=user, username=username
    )


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is None:  # signing out without a session: nobody to record
        return
    backend = request.session.get(BACKEND_SESSION_KEY, "") if hasattr(request, "session") else ""
    signin_event_record(
        kind=Kind.SIGNED_OUT, method=_method_of_backend(backend), request=request, user=user
    )


def token_event_record(*, request: HttpRequest, token, created: bool) -> SignInEvent:
    """Record that `request.user` created or revoked `token` (possibly another user's)."""
    detail = str(token)
    if token.user_id != request.user.pk:
        detail = f"{detail} of {token.user.get_username()}"
    return signin_event_record(
        kind=Kind.TOKEN_CREATED if created else Kind.TOKEN_REVOKED,
        method=Method.TOKEN,
        request=request,
        user=request.user,
        detail=detail,
    )


CSV_HEADER = ("when (UTC)", "event", "method", "username", "client address", "detail")


def signin_events_csv(events: Iterable[SignInEvent]) -> str:
    """The events as CSV, every text cell safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for event in events:
        writer.writerow(
            [
                event.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                event.kind,
                event.method,
                cell_safe(event.username),
                event.address or "",
                cell_safe(event.detail),
            ]
        )
    return out.getvalue()


def signin_events_prune(*, now: dt.datetime | None = None, batch: int | None = None) -> int:
    """Delete entries older than SIGNIN_AUDIT_RETENTION_DAYS, `batch` rows per statement.

    Bounded batches keep each delete short (no long lock, inside the statement timeout);
    overlapping runs are harmless, as each deletes what is still there. Returns how many.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.SIGNIN_AUDIT_RETENTION_DAYS)
    batch = batch or settings.SIGNIN_AUDIT_PRUNE_BATCH
    deleted = 0
    while True:
        ids = list(
            SignInEvent.objects.filter(at__lt=cutoff)
            .order_by("at")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return deleted
        deleted += SignInEvent.objects.filter(pk__in=ids).delete()[0]
        if len(ids) < batch:
            return deleted
