"""A Redis or PostgreSQL that accepts connections and never answers does not take the site down.

Each test runs gunicorn with the production settings module and points a dependency at a
`SilentListener` (tests/servers.py). Requests carry a generous client timeout: it bounds a hang
(gunicorn would kill a hung worker at 60 s), it is not a measured assertion.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from integration.api.tokens import api_token_create
from reports.models import ReportJob
from tests.servers import Gunicorn, SilentListener, shared_database_url

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="gunicorn is another process: it cannot see the in-memory SQLite test database",
)


@pytest.fixture
def silent():
    listener = SilentListener()
    yield listener
    listener.close()


@pytest.fixture
def gunicorn(tmp_path):
    started: list[Gunicorn] = []

    def start(**env: str) -> Gunicorn:
        server = Gunicorn(tmp_path=tmp_path, secret_key=settings.SECRET_KEY, env=env)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@needs_postgresql
@pytest.mark.django_db(transaction=True)  # gunicorn reads what this test commits
def test_the_site_keeps_serving_while_redis_hangs(silent, gunicorn, client, binub, hq_reviewer):
    # given a web process whose Redis (broker and throttle counters) never answers
    hung_redis = f"redis://127.0.0.1:{silent.port}/0"
    web = gunicorn(
        DATABASE_URL=shared_database_url(), REDIS_URL=hung_redis, CELERY_BROKER_URL=hung_redis
    )
    client.force_login(hq_reviewer)
    session = {"sessionid": client.cookies["sessionid"].value}
    read = api_token_create(user=hq_reviewer, name="read", scope="read").secret
    write = api_token_create(user=hq_reviewer, name="write", scope="write").secret

    # when a probe asks for its health, then it is told the broker is down
    health = web.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}
    # and pages and API reads are served, by session and by token (the throttle fails open)
    assert web.get("/", cookies=session).status_code == 200
    assert web.get("/api/v1/missions/", cookies=session).status_code == 200
    missions = web.get("/api/v1/missions/", headers={"Authorization": f"Bearer {read}"})
    assert missions.status_code == 200
    assert [m["acronym"] for m in missions.json()["results"]] == ["BINUB"]
    # and a report request is accepted: its job waits, undispatched, for the sweeper
    requested = web.post(
        "/api/v1/reports/",
        json={"kind": "mission", "mission": "BINUB", "formats": ["pdf"]},
        headers={"Authorization": f"Bearer {write}"},
    )
    assert requested.status_code == 202, requested.text
    job = ReportJob.objects.get(pk=requested.json()["id"])
    assert (job.state, job.dispatched_at) == (ReportJob.State.QUEUED, None)
    # and the listener really was reached: the broker and the cache did try it
    assert silent.accepted >= 2


def test_the_health_check_answers_while_the_database_and_redis_hang(silent, gunicorn):
    # given a web process whose PostgreSQL and Redis both accept connections and never answer
    hung_redis = f"redis://127.0.0.1:{silent.port}/0"
    web = gunicorn(
        DATABASE_URL=f"postgres://app:pw@127.0.0.1:{silent.port}/integration",
        REDIS_URL=hung_redis,
        CELERY_BROKER_URL=hung_redis,
    )
    # when probes ask for its health, three in a row
    answers = [web.get("/healthz") for _ in range(3)]
    # then each is answered: both dependencies unavailable
    assert {a.status_code for a in answers} == {503}
    assert answers[-1].json() == {
        "status": "unavailable",
        "database": "unavailable",
        "broker": "unavailable",
    }
