"""The OpenAPI schema is a committed artefact; the docs pages load only local files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "openapi.yaml"


def test_the_committed_schema_is_the_generated_one(tmp_path):
    # `--validate --fail-on-warn`, as `make schema` runs it: a warning fails here too.
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == COMMITTED.read_text(), (
        "docs/openapi.yaml is stale: run `make schema` and commit it"
    )


@pytest.mark.django_db
def test_the_schema_is_served_to_anyone(client):
    response = client.get(reverse("schema"))
    assert response.status_code == 200
    assert b"/api/v1/missions/{acronym}/integration-profile/" in response.content


def test_redoc_is_under_api_docs_beside_swagger_ui():
    assert reverse("swagger-ui") == "/api/docs/"
    assert reverse("redoc") == "/api/docs/redoc/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "viewer"),
    [
        ("/api/docs/", "swagger-ui"),
        ("/api/docs/redoc/", "redoc"),
        ("/api/redoc/", "redoc"),  # the first address, kept for existing links
    ],
)
def test_the_docs_pages_load_only_local_static_files(client, path, viewer):
    # given the Swagger UI and Redoc pages
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert viewer in page.lower()
    # then every script, stylesheet and icon is one of ours, and it is served
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets
    for asset in assets:
        if asset == f"{path}?script=":  # Swagger UI's start-up script, served apart for the CSP
            assert client.get(asset)["Content-Type"] == "application/javascript"
            continue
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
    assert "googleapis" not in page
    assert "cdn.jsdelivr" not in page
