"""API tokens: shown once, stored hashed, scoped, expiring, revocable, managed by their owner."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from integration.api.tokens import api_token_authenticate, api_token_create, api_token_revoke
from integration.models import ApiToken
from tests.api.conftest import evaluate_context
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_only_the_sha256_of_a_token_is_stored(binub_planner):
    issued = api_token_create(user=binub_planner, name="portal", scope="read")
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert row.key_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.filter(pk=row.pk).values().get().values()]
    assert issued.secret not in stored
    assert issued.secret.startswith(row.prefix)
    assert len(row.prefix) < len(issued.secret) // 3


def test_two_tokens_never_share_a_secret(binub_planner):
    first = api_token_create(user=binub_planner, name="a", scope="read")
    second = api_token_create(user=binub_planner, name="b", scope="read")
    assert first.secret != second.secret
    assert first.token.key_hash != second.token.key_hash


def test_a_token_authenticates_as_its_owner_with_bearer_or_token_keyword(api, binub_planner):
    issued = api_token_create(user=binub_planner, name="portal", scope="read")
    for keyword in ("Bearer", "Token"):
        response = api.get(
            reverse("api:mission-list"), HTTP_AUTHORIZATION=f"{keyword} {issued.secret}"
        )
        assert response.status_code == 200, keyword


def test_a_wrong_token_is_401_in_the_error_format(api, binub_planner):
    issued = api_token_create(user=binub_planner, name="portal", scope="read")
    tampered = issued.secret[:-2] + ("AA" if not issued.secret.endswith("AA") else "BB")
    response = api.get(reverse("api:mission-list"), **_bearer(tampered))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_read_token_cannot_write(api, read_token, binub_assessment):
    # given a read token of BINUB's planner, who may edit BINUB
    url = reverse("api:assessment-detail", args=[binub_assessment.pk])
    etag = f'"a{binub_assessment.pk}.v1"'
    # when it tries every write
    responses = [
        api.post(
            reverse("api:assessment-list"),
            {"mission": "BINUB"},
            format="json",
            **_bearer(read_token.secret),
        ),
        api.patch(
            url, {"notes": "x"}, format="json", HTTP_IF_MATCH=etag, **_bearer(read_token.secret)
        ),
        api.put(url, {}, format="json", HTTP_IF_MATCH=etag, **_bearer(read_token.secret)),
        api.post(
            reverse("api:assessment-submit", args=[binub_assessment.pk]),
            HTTP_IF_MATCH=etag,
            **_bearer(read_token.secret),
        ),
    ]
    # then each is refused and nothing changed
    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert responses[0].json()["code"] == "permission_denied"
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 1
    assert binub_assessment.mission.assessments.count() == 1


def test_a_read_token_may_evaluate_because_it_stores_nothing(api, read_token, rulebook):
    body = {"context": evaluate_context()}
    response = api.post(reverse("api:evaluate"), body, format="json", **_bearer(read_token.secret))
    assert response.status_code == 200


def test_a_write_token_writes_with_its_owners_permissions(
    api, write_token, binub_assessment, unmis
):
    etag = f'"a{binub_assessment.pk}.v1"'
    url = reverse("api:assessment-detail", args=[binub_assessment.pk])
    response = api.patch(
        url,
        {"notes": "from the planning tool"},
        format="json",
        HTTP_IF_MATCH=etag,
        **_bearer(write_token.secret),
    )
    assert response.status_code == 200
    refused = api.post(
        reverse("api:assessment-list"),
        {"mission": "UNMIS"},
        format="json",
        **_bearer(write_token.secret),
    )
    assert refused.status_code == 403


def test_an_expired_token_is_refused(api, binub_planner):
    issued = api_token_create(
        user=binub_planner,
        name="old",
        scope="read",
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    response = api.get(reverse("api:mission-list"), **_bearer(issued.secret))
    assert response.status_code == 401


def test_a_token_works_until_it_expires(api, binub_planner):
    issued = api_token_create(
        user=binub_planner,
        name="soon",
        scope="read",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert api.get(reverse("api:mission-list"), **_bearer(issued.secret)).status_code == 200


def test_a_revoked_token_is_refused(api, binub_planner):
    issued = api_token_create(user=binub_planner, name="portal", scope="write")
    assert api.get(reverse("api:mission-list"), **_bearer(issued.secret)).status_code == 200
    api_token_revoke(token_id=issued.token.pk, by=binub_planner)
    assert api.get(reverse("api:mission-list"), **_bearer(issued.secret)).status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(api, binub_planner):
    issued = api_token_create(user=binub_planner, name="portal", scope="read")
    binub_planner.is_active = False
    binub_planner.save()
    assert api.get(reverse("api:mission-list"), **_bearer(issued.secret)).status_code == 401


def test_last_used_time_is_recorded_at_most_once_a_minute(api, binub_planner):
    issued = api_token_create(user=binub_planner, name="portal", scope="read")
    assert issued.token.last_used_at is None
    api.get(reverse("api:function-list"), **_bearer(issued.secret))
    first = ApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert first is not None
    api.get(reverse("api:function-list"), **_bearer(issued.secret))
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == first


def test_authenticate_ignores_strings_that_are_not_tokens(binub_planner):
    api_token_create(user=binub_planner, name="portal", scope="read")
    for guess in ("", "ids_", "Bearer", "x" * 60, "ids_" + "\x00" * 50):
        assert api_token_authenticate(secret=guess) is None


def test_a_user_cannot_revoke_someone_elses_token(binub_planner, unmis_planner):
    issued = api_token_create(user=binub_planner, name="portal", scope="read")
    with pytest.raises(ApiToken.DoesNotExist):
        api_token_revoke(token_id=issued.token.pk, by=unmis_planner)
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


# --- the web pages ------------------------------------------------------------------------


def test_the_token_page_creates_a_token_and_shows_it_once(client, binub_planner):
    # given a signed-in planner
    client.login(username=binub_planner.username, password=PASSWORD)
    # when they create a read token
    response = client.post(reverse("token-create"), {"name": "HQ dashboard", "scope": "read"})
    # then the page shows the secret, which works, and the list never shows it again
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=binub_planner)
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert api_token_authenticate(secret=secret).pk == token.pk
    listing = client.get(reverse("token-list")).content.decode()
    assert token.prefix in listing
    assert secret not in listing


def test_the_token_page_sets_the_scope_and_expiry(client, binub_planner):
    client.login(username=binub_planner.username, password=PASSWORD)
    day = timezone.localdate() + dt.timedelta(days=30)
    client.post(
        reverse("token-create"),
        {"name": "tool", "scope": "write", "expires_on": day.isoformat()},
    )
    token = ApiToken.objects.get(user=binub_planner)
    assert token.scope == "write"
    assert timezone.localtime(token.expires_at).date() == day + dt.timedelta(days=1)


def test_the_token_page_refuses_a_past_expiry_and_an_unknown_scope(client, binub_planner):
    client.login(username=binub_planner.username, password=PASSWORD)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert (
        client.post(
            reverse("token-create"), {"name": "t", "scope": "read", "expires_on": past}
        ).status_code
        == 400
    )
    assert client.post(reverse("token-create"), {"name": "t", "scope": "admin"}).status_code == 400
    assert not ApiToken.objects.exists()


def test_the_token_page_lists_only_my_tokens(client, binub_planner, unmis_planner):
    api_token_create(user=unmis_planner, name="someone elses", scope="read")
    api_token_create(user=binub_planner, name="mine", scope="read")
    client.login(username=binub_planner.username, password=PASSWORD)
    page = client.get(reverse("token-list")).content.decode()
    assert "mine" in page
    assert "someone elses" not in page


def test_the_owner_revokes_a_token_from_the_page_after_confirming(client, binub_planner):
    issued = api_token_create(user=binub_planner, name="portal", scope="read")
    client.login(username=binub_planner.username, password=PASSWORD)
    # the revoke link asks first, naming the token
    page = client.get(reverse("token-revoke", args=[issued.token.pk])).content.decode()
    assert "Token “portal” (starts with" in page
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None
    response = client.post(reverse("token-revoke", args=[issued.token.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None


def test_nobody_revokes_someone_elses_token_from_the_page(client, binub_planner, unmis_planner):
    issued = api_token_create(user=binub_planner, name="portal", scope="read")
    client.login(username=unmis_planner.username, password=PASSWORD)
    response = client.post(reverse("token-revoke", args=[issued.token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_token_pages_need_a_session(client):
    response = client.get(reverse("token-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_token_names_are_escaped_on_the_page(client, binub_planner):
    api_token_create(user=binub_planner, name="<script>alert(1)</script>", scope="read")
    client.login(username=binub_planner.username, password=PASSWORD)
    page = client.get(reverse("token-list")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# --- the admin ----------------------------------------------------------------------------


def test_an_admin_creates_a_token_for_a_user_and_sees_it_once(client, admin_user, binub_planner):
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.post(
        reverse("admin:integration_apitoken_add"),
        {
            "user": binub_planner.pk,
            "name": "data portal",
            "scope": "read",
            "expires_at_0": "",
            "expires_at_1": "",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    token = ApiToken.objects.get(user=binub_planner)
    secret = response.context["secret"]
    assert api_token_authenticate(secret=secret).pk == token.pk
    change = client.get(reverse("admin:integration_apitoken_change", args=[token.pk]))
    assert secret not in change.content.decode()


@pytest.mark.parametrize(
    ("days", "created"), [(-1, False), (0, False), (1, True)]
)  # fmt: skip
def test_the_admin_refuses_a_token_that_expires_in_the_past(
    client, admin_user, binub_planner, days, created
):
    # given an expiry a day ago, a moment ago (today, an hour back), or tomorrow
    expires = timezone.localtime() + dt.timedelta(days=days, hours=-1 if days == 0 else 0)
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.post(
        reverse("admin:integration_apitoken_add"),
        {
            "user": binub_planner.pk,
            "name": "data portal",
            "scope": "read",
            "expires_at_0": expires.strftime("%Y-%m-%d"),
            "expires_at_1": expires.strftime("%H:%M:%S"),
        },
    )
    # then a past expiry is refused on the form, as on the owner's page, and nothing is issued
    assert ApiToken.objects.filter(user=binub_planner).exists() is created
    if not created:
        assert response.context["adminform"].form.errors == {
            "expires_at": ["The date is in the past."]
        }


def test_an_admin_revokes_tokens_with_the_action_after_confirming(
    client, admin_user, binub_planner
):
    issued = api_token_create(user=binub_planner, name="portal", scope="read")
    client.login(username=admin_user.username, password=PASSWORD)
    action = {"action": "revoke_selected", "_selected_action": [issued.token.pk]}
    # the action first names the tokens and asks
    page = client.post(reverse("admin:integration_apitoken_changelist"), action)
    assert "Yes, revoke them" in page.content.decode()
    assert f"portal · <code>{issued.token.prefix}…</code>" in page.content.decode()
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None
    # and revokes once confirmed
    client.post(reverse("admin:integration_apitoken_changelist"), action | {"confirmed": "yes"})
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
