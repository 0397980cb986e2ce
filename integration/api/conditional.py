"""Conditional reads: an ETag on every answer, 304 when the caller's copy is current.

A resource with a version passes its own ETag (assessments.api.etags); computed answers
(profiles) are tagged by a hash of their body.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers
from rest_framework.response import Response

from integration.api.read_cache import Answer, body_etag


def _none_match(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags


def conditional_response(
    request, data: Any, *, etag: str | None = None, cache_control: str, status: int = 200
) -> Response:
    """`data` with its ETag (a body hash unless given) and Cache-Control; 304 if unchanged."""
    if etag is None:
        etag = body_etag(data)
    if request.method in ("GET", "HEAD") and _none_match(request, etag):
        response = Response(status=304)
    else:
        response = Response(data, status=status)
    return _conditional_headers(response, etag=etag, cache_control=cache_control)


def answer_response(request, answer: Answer, *, cache_control: str) -> HttpResponseBase:
    """A rendered answer (integration/api/read_cache.py) as conditional_response answers data."""
    if request.method in ("GET", "HEAD") and _none_match(request, answer.etag):
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        response = HttpResponse(answer.body, content_type="application/json")
    return _conditional_headers(response, etag=answer.etag, cache_control=cache_control)


def _conditional_headers(response, *, etag: str, cache_control: str):
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    # Answers depend on who asks (a token or a session); shared caches must keep them apart.
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response
