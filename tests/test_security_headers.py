"""Every response carries the strict Content-Security-Policy; what a signed-in user is served
is never stored (tests/browser/test_content_security_policy.py walks the pages in Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_pages_carry_a_policy_without_inline_script_or_remote_sources(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in policy
    assert "http" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_each_response_gets_its_own_nonce(client):
    first = client.get(reverse("login"))["Content-Security-Policy"]
    assert first != client.get(reverse("login"))["Content-Security-Policy"]


# A view that set its own Cache-Control keeps it: the integration profile's "private,
# max-age=60" with an ETag (tests/api/test_missions.py).
def test_signed_in_pages_and_api_answers_are_never_stored(client, viewer):
    client.force_login(viewer)
    for url in (reverse("home"), reverse("token-list"), "/api/v1/missions/"):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_anonymous_pages_are_left_to_their_views(client):
    assert "no-store" not in client.get(reverse("schema")).get("Cache-Control", "")


def test_the_vendored_redoc_is_the_pinned_bundle_without_its_remote_logo():
    import drf_spectacular_sidecar

    pinned = (
        Path(drf_spectacular_sidecar.__file__).parent
        / "static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
    ).read_text()
    vendored = (ROOT / "static/vendor/redoc/redoc.standalone.js").read_text()
    assert "cdn.redoc.ly" not in vendored
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    empty = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E"
    assert vendored == pinned.replace(logo, empty)
