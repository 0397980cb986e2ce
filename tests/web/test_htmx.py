"""htmx is vendored and optional: served from our static files, never from a CDN."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import PASSWORD

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_htmx_is_vendored_in_the_static_files():
    path = finders.find("vendor/htmx.min.js")
    assert path is not None
    assert Path(path).read_text(encoding="utf-8").startswith("var htmx=")


def test_no_template_loads_a_script_or_stylesheet_from_another_host():
    remote = re.compile(r"""<(script|link)[^>]+(src|href)=["'](https?:)?//""", re.IGNORECASE)
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if remote.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_review_queue_refreshes_itself_where_javascript_runs(client, hq_reviewer):
    client.login(username=hq_reviewer.username, password=PASSWORD)
    html = client.get(reverse("review-queue")).content.decode()
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in html
    assert 'hx-trigger="every 60s"' in html
    assert 'hx-select="#review-queue-table"' in html
