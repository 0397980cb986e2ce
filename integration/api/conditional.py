"""ETags: conditional reads (If-None-Match → 304) and optimistic writes (If-Match → version).

An assessment's ETag is derived from its `version`, which every write bumps; `If-Match` maps to
the services' `expected_version`. Computed answers (profiles) are tagged by a hash of their body.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from assessments.models import Assessment
from integration.api.exceptions import PreconditionFailed, PreconditionRequired

_ASSESSMENT_ETAG = re.compile(r'"a(?P<id>\d{1,18})\.v(?P<version>\d{1,9})"')


def assessment_etag(assessment: Assessment) -> str:
    return f'"a{assessment.pk}.v{assessment.version}"'


def expected_version_get(*, request, assessment: Assessment) -> int:
    """The version the caller read, from `If-Match`: 428 without it, 412 if it is not current.

    The service checks again under the row lock; this only answers early and cheaply.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    for tag in header.split(","):
        match = _ASSESSMENT_ETAG.fullmatch(tag.strip())
        if match and int(match["id"]) == assessment.pk:
            version = int(match["version"])
            if version != assessment.version:
                break
            return version
    raise PreconditionFailed(
        _("If-Match does not name the current version of this assessment (now %(etag)s).")
        % {"etag": assessment_etag(assessment)}
    )


def _none_match(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags


def conditional_response(
    request, data: Any, *, etag: str | None = None, cache_control: str, status: int = 200
) -> Response:
    """`data` with its ETag (a body hash unless given) and Cache-Control; 304 if unchanged."""
    if etag is None:
        body = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
        etag = '"' + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32] + '"'
    if request.method in ("GET", "HEAD") and _none_match(request, etag):
        response = Response(status=304)
    else:
        response = Response(data, status=status)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    # Answers depend on who asks (a token or a session); shared caches must keep them apart.
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response
