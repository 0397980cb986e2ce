"""Conditional reads: an ETag on every answer, 304 when the caller's copy is current.

A resource with a version passes its own ETag (assessments.api.etags); computed answers
(profiles) are tagged by a hash of their body.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils.cache import patch_vary_headers
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder


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
