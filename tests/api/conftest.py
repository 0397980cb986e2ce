"""API fixtures: a client per role, tokens of each scope, assessments in each review state."""

from __future__ import annotations

import os
import socket
import subprocess
import time

import pytest
import redis
from rest_framework.test import APIClient

from assessments import review_services, services
from integration.api.shared_state import REDIS_BACKEND, THROTTLE_CACHE, shared_redis
from integration.api.throttling import throttle_windows_clear
from integration.api.tokens import api_token_create
from integration.engine.samples import binub_context
from integration.services import rulebook_default_ensure

ROLES = (
    "anonymous",
    "planner",
    "other_planner",
    "viewer",
    "hq_reviewer",
    "admin",
    "read_token",
    "write_token",
)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def read_token(binub_planner):
    return api_token_create(user=binub_planner, name="dashboard", scope="read")


@pytest.fixture
def write_token(binub_planner):
    return api_token_create(user=binub_planner, name="planning tool", scope="write")


@pytest.fixture
def as_role(request, api, binub_planner, unmis_planner, viewer, hq_reviewer, admin_user):
    """as_role(name) -> an APIClient acting as that role (tokens belong to BINUB's planner)."""

    def make(role: str) -> APIClient:
        client = APIClient()
        users = {
            "planner": binub_planner,
            "other_planner": unmis_planner,
            "viewer": viewer,
            "hq_reviewer": hq_reviewer,
            "admin": admin_user,
        }
        if role in users:
            client.force_authenticate(users[role])
        elif role in ("read_token", "write_token"):
            issued = request.getfixturevalue(role)
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
        return client

    return make


@pytest.fixture
def rulebook(db):
    return rulebook_default_ensure()


@pytest.fixture
def submitted_assessment(binub_assessment, binub_planner, rulebook):
    return services.assessment_submit(
        assessment_id=binub_assessment.pk, by=binub_planner, expected_version=1
    )


@pytest.fixture
def approved_assessment(submitted_assessment, hq_reviewer):
    return review_services.assessment_approve(
        assessment_id=submitted_assessment.pk,
        by=hq_reviewer,
        expected_version=submitted_assessment.version,
    )


@pytest.fixture(scope="session")
def redis_url():
    """A Redis for state shared between processes: REDIS_URL's, else a private redis-server."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def shared_redis_on(settings, redis_url):
    """The API's shared state (throttle counters, cached tokens) in Redis, as in production."""
    settings.CACHES = {
        **settings.CACHES,
        THROTTLE_CACHE: {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": redis_url,
            "OPTIONS": settings.THROTTLE_CACHE_OPTIONS,
        },
    }
    client = shared_redis()

    def clear() -> None:
        throttle_windows_clear()
        keys = [*client.scan_iter("apitoken:*"), *client.scan_iter("apiread:*")]
        if keys:
            client.delete(*keys)

    clear()  # nothing left by another test (whose writes were rolled back, not undone here)
    yield client
    clear()


def evaluate_context() -> dict:
    """A complete, valid context for POST /evaluate/ (every fact of domain.md §3)."""
    return binub_context(presence_type="multidimensional_pko")
