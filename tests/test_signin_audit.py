"""The sign-in audit: sign-ins, failures, sign-outs and token events, with who, when, address
and method; an admin list with filters, a CSV export safe to open, pruning by beat."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import login
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from integration.audit import signin_events_prune
from integration.models import ApiToken, SignInEvent
from integration.tasks import signin_events_prune_task
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
Kind, Method = SignInEvent.Kind, SignInEvent.Method


def _events() -> list[tuple]:
    return list(
        SignInEvent.objects.order_by("id").values_list("kind", "method", "username", "address")
    )


def test_a_password_sign_in_a_failure_and_a_sign_out_are_recorded(viewer):
    client = Client(REMOTE_ADDR="203.0.113.5")
    name = viewer.username
    client.post(reverse("login"), {"username": name, "password": "wrong"})
    client.post(reverse("login"), {"username": name, "password": PASSWORD})
    client.post(reverse("logout"))
    assert _events() == [
        (Kind.FAILED, Method.PASSWORD, name, "203.0.113.5"),
        (Kind.SIGNED_IN, Method.PASSWORD, name, "203.0.113.5"),
        (Kind.SIGNED_OUT, Method.PASSWORD, name, "203.0.113.5"),
    ]
    assert SignInEvent.objects.filter(user=viewer).count() == 3


def test_the_admin_sign_in_page_is_audited_with_the_client_address_rule(admin_user, settings):
    settings.TRUSTED_PROXIES = 1
    Client(REMOTE_ADDR="10.0.0.2").post(
        reverse("admin:login"),
        {"username": "admin", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
    )
    assert _events() == [(Kind.SIGNED_IN, Method.PASSWORD, "admin", "203.0.113.9")]


def test_a_single_sign_on_is_recorded_with_method_oidc(viewer):
    # given a sign-in through the OpenID Connect backend (sso/), as its callback does it
    request = RequestFactory().get("/oidc/callback/", REMOTE_ADDR="203.0.113.7")
    request.session = SessionStore()
    login(request, viewer, backend="sso.backends.OidcBackend")
    assert _events() == [(Kind.SIGNED_IN, Method.OIDC, viewer.username, "203.0.113.7")]


def test_tokens_created_and_revoked_by_their_owner_are_recorded(viewer):
    client = Client(REMOTE_ADDR="203.0.113.5")
    client.force_login(viewer)
    client.post(reverse("token-create"), {"name": "dashboard", "scope": "read"})
    token = ApiToken.objects.get()
    client.post(reverse("token-revoke", args=[token.pk]))
    assert _events()[-2:] == [
        (Kind.TOKEN_CREATED, Method.TOKEN, viewer.username, "203.0.113.5"),
        (Kind.TOKEN_REVOKED, Method.TOKEN, viewer.username, "203.0.113.5"),
    ]
    assert SignInEvent.objects.order_by("id").last().detail.startswith("dashboard (")


def test_tokens_an_admin_issues_and_revokes_name_their_owner(admin_user, viewer):
    client = Client()
    client.force_login(admin_user)
    client.post(
        reverse("admin:integration_apitoken_add"),
        {"user": viewer.pk, "name": "feed", "scope": "read"},
    )
    token = ApiToken.objects.get()
    client.post(
        reverse("admin:integration_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [token.pk], "confirmed": "yes"},
    )
    created, revoked = SignInEvent.objects.filter(method=Method.TOKEN).order_by("id")
    assert (created.kind, created.user, revoked.kind) == (
        Kind.TOKEN_CREATED,
        admin_user,
        Kind.TOKEN_REVOKED,
    )
    assert created.detail.endswith(f"of {viewer.username}")


def test_admins_read_the_audit_filtered_and_others_cannot(admin_user, viewer):
    Client().post(reverse("login"), {"username": "nobody", "password": "x"})
    Client().post(reverse("login"), {"username": viewer.username, "password": PASSWORD})
    client = Client()
    client.force_login(admin_user)
    page = reverse("admin:integration_signinevent_changelist")
    failed = client.get(page, {"kind__exact": "failed"}).content.decode()
    assert "nobody" in failed
    assert viewer.username not in failed
    viewer_client = Client()
    viewer_client.force_login(viewer)
    assert viewer_client.get(page).status_code == 302  # to the admin's sign-in


def test_the_csv_export_defuses_formulas(admin_user):
    formula = '=HYPERLINK("http://evil.example","x")'
    Client().post(reverse("login"), {"username": formula, "password": "x"})
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:integration_signinevent_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(
                SignInEvent.objects.filter(kind=Kind.FAILED).values_list("pk", flat=True)
            ),
        },
    )
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["when (UTC)", "event", "method", "username"]
    assert [row[1:4] for row in rows[1:]] == [["failed", "password", "'" + formula]]


def _event_at(days_ago: float) -> SignInEvent:
    return SignInEvent.objects.create(
        kind=Kind.SIGNED_IN,
        method=Method.PASSWORD,
        username="old",
        at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_pruning_deletes_what_is_past_retention_in_bounded_batches(
    settings, django_assert_num_queries
):
    settings.SIGNIN_AUDIT_RETENTION_DAYS = 30
    old = [_event_at(31 + n) for n in range(5)]
    kept = _event_at(29)
    # batches of 2: three selects of ids, three deletes (5 = 2 + 2 + 1, the short batch ends it)
    with django_assert_num_queries(6):
        assert signin_events_prune(batch=2) == len(old)
    assert list(SignInEvent.objects.all()) == [kept]


def test_the_prune_task_runs_the_service_with_its_limits_declared(settings):
    settings.SIGNIN_AUDIT_RETENTION_DAYS = 1
    _event_at(2)
    assert signin_events_prune_task.name == "integration.signin_events_prune"
    assert (signin_events_prune_task.time_limit, signin_events_prune_task.soft_time_limit) == (
        600,
        540,
    )
    assert signin_events_prune_task.apply().get() == 1
    assert settings.CELERY_BEAT_SCHEDULE["signin-audit-prune"]["task"] == (
        "integration.signin_events_prune"
    )
