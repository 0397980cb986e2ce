"""The production shape's front door, for real: the Caddyfile's Caddy in front of gunicorn with
the settings docker-compose.yml gives it (one trusted proxy, X-Forwarded-Proto).

Caddy serves TLS with its internal CA on a free port; gunicorn behind it sees only what Caddy
forwards, so a client's forged X-Forwarded-For names nobody and HTTPS is recognised.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import requests
from django.conf import settings
from django.db import connection

from integration.models import SignInEvent
from tests.servers import ROOT, Gunicorn, free_port, shared_database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="gunicorn is another process: it cannot see the in-memory SQLite test database",
    ),
    pytest.mark.skipif(
        shutil.which("caddy") is None and not os.environ.get("CI"),
        reason="needs the caddy program (Debian package caddy; .ci/run installs it)",
    ),
]


@pytest.fixture
def front_door(tmp_path):
    """gunicorn as compose runs it behind Caddy; yields Caddy's https URL and its CA's root."""
    web = Gunicorn(
        tmp_path=tmp_path,
        secret_key=settings.SECRET_KEY,
        env={
            "DATABASE_URL": shared_database_url(),
            "REDIS_URL": "",
            "CELERY_BROKER_URL": "",
            "ALLOWED_HOSTS": "localhost",
            "SECURE_SSL_REDIRECT": "1",
            "TRUSTED_PROXIES": "1",
            "PROXY_TLS_HEADER": "X-Forwarded-Proto",
        },
    ).start()
    https_port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "caddy-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "caddy-config"),
        "SITE_ADDRESS": f"https://localhost:{https_port}",
        "HTTPS_PORT": str(https_port),
        "HTTP_PORT": str(free_port()),
        "APP_UPSTREAM": f"127.0.0.1:{web.port}",
    }
    log = (tmp_path / "caddy.log").open("w")
    caddy = subprocess.Popen(
        ["caddy", "run", "--config", str(ROOT / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.5).close()
                break
            except OSError:
                if caddy.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "caddy.log").read_text()) from None
                time.sleep(0.2)
        # Caddy's own CA, as `CADDY_TLS=internal` gives: a client that trusts its root
        root = tmp_path / "caddy-data/caddy/pki/authorities/local/root.crt"
        yield f"https://localhost:{https_port}", str(root)
    finally:
        os.killpg(caddy.pid, signal.SIGTERM)
        caddy.wait(timeout=15)
        web.stop()


def test_behind_caddy_forged_headers_name_nobody_and_https_is_recognised(front_door, viewer):
    front_door, root_certificate = front_door
    browser = requests.Session()
    browser.verify = root_certificate
    # given the sign-in page over TLS through the proxy: no redirect, so HTTPS is recognised
    page = browser.get(f"{front_door}/login/", timeout=30, verify=root_certificate)
    assert page.status_code == 200
    assert page.url == f"{front_door}/login/"
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    # when a client forging X-Forwarded-For and X-Forwarded-Proto fails to sign in
    failed = browser.post(
        f"{front_door}/login/",
        data={"csrfmiddlewaretoken": token, "username": viewer.username, "password": "wrong"},
        headers={
            "Origin": front_door,
            "X-Forwarded-For": "198.51.100.77",
            "X-Forwarded-Proto": "https",
        },
        timeout=30,
        verify=root_certificate,
    )
    assert failed.status_code == 200  # the form again, with its error
    # then the audit names the address Caddy saw, not the forged one
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.FAILED)
    assert event.address == "127.0.0.1"
    # and Caddy itself does not announce its name
    assert "Server" not in failed.headers or "Caddy" not in failed.headers["Server"]
