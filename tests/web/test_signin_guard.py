"""Sign-in is guarded: failures lock out a username and an address on both sign-in pages, the
counters live in the database (shared by every web process), and an admin lifts a lockout."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.servers import Gunicorn, shared_database_url

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT


def _sign_in(client: Client, username: str, password: str, *, page: str = "login", **extra):
    return client.post(reverse(page), {"username": username, "password": password}, **extra)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_lock_the_account_until_an_admin_lifts_it(viewer, admin_user):
    client = Client()
    # given LIMIT wrong passwords in a row
    answers = [_sign_in(client, viewer.username, "wrong").status_code for _ in range(LIMIT)]
    assert answers == [200] * (LIMIT - 1) + [429]
    # when the right password comes, then it is refused too, with the lockout page
    refused = _sign_in(client, viewer.username, PASSWORD)
    assert refused.status_code == 429
    assert b"Sign-in locked" in refused.content
    assert not _signed_in(client)
    # when an admin lifts the lockout on the access attempts page
    admin = Client()
    admin.force_login(admin_user)
    page = reverse("admin:axes_accessattempt_changelist")
    assert viewer.username in admin.get(page).content.decode()
    lifted = admin.post(
        page,
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert lifted.status_code == 302
    # then the right password signs in
    assert _sign_in(client, viewer.username, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_the_admin_sign_in_page_is_guarded_too(admin_user):
    client = Client()
    for _ in range(LIMIT):
        _sign_in(client, admin_user.username, "wrong", page="admin:login")
    assert _sign_in(client, admin_user.username, PASSWORD, page="admin:login").status_code == 429
    assert not _signed_in(client)
    # and the lockout holds on the other sign-in page
    assert _sign_in(client, admin_user.username, PASSWORD).status_code == 429


def test_one_address_is_locked_out_whatever_the_usernames_it_tries(viewer):
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    # given one address trying a different username each time
    for n in range(LIMIT):
        _sign_in(Client(), f"guess-{n}", "wrong", **attacker)
    # then a real account's right password is refused from that address
    assert _sign_in(Client(), viewer.username, PASSWORD, **attacker).status_code == 429
    # and accepted from another (the account itself is not locked)
    elsewhere = Client()
    assert (
        _sign_in(elsewhere, viewer.username, PASSWORD, REMOTE_ADDR="198.51.100.2").status_code
        == 302
    )
    assert _signed_in(elsewhere)


def test_a_forged_x_forwarded_for_does_not_escape_the_address_lockout(viewer):
    for n in range(LIMIT):
        _sign_in(Client(), f"guess-{n}", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert _sign_in(Client(), viewer.username, PASSWORD).status_code == 429


def test_failures_of_other_accounts_do_not_lock_an_account_out(viewer, binub_planner):
    for n in range(LIMIT - 1):
        _sign_in(Client(), binub_planner.username, "wrong", REMOTE_ADDR=f"198.51.100.{n}")
    client = Client()
    assert _sign_in(client, viewer.username, PASSWORD).status_code == 302


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="gunicorn is another process: it cannot see the in-memory SQLite test database",
)
@pytest.mark.django_db(transaction=True)
def test_failures_counted_by_one_web_process_lock_the_account_in_another(viewer, tmp_path):
    # given a gunicorn process (the production settings) on the same database
    web = Gunicorn(
        tmp_path=tmp_path,
        secret_key=settings.SECRET_KEY,
        env={"DATABASE_URL": shared_database_url(), "REDIS_URL": "", "CELERY_BROKER_URL": ""},
    ).start()
    try:
        page = web.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        cookies = {"csrftoken": page.cookies["csrftoken"]}
        form = {"csrfmiddlewaretoken": token, "username": viewer.username, "password": "wrong"}
        # when it sees LIMIT wrong passwords
        answers = [
            web.post("/login/", data=form, cookies=cookies).status_code for _ in range(LIMIT)
        ]
    finally:
        web.stop()
    assert answers[-1] == 429
    # then this process refuses the right password, from another address too
    refused = _sign_in(Client(), viewer.username, PASSWORD, REMOTE_ADDR="198.51.100.9")
    assert refused.status_code == 429
