"""The project as a newcomer and an operator meet it: settings, deploy checks, compose, lint."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k8f$2mQ!vZp7@Lr4xT9wNc6bYh3Jd1sGa5eRu0iOo-PqWzXyVb_production_like",
    "ALLOWED_HOSTS": "integration.example.org",
    "DATABASE_URL": "postgres://app:pw@db.example.org:5432/integration",
    "REDIS_URL": "redis://redis.example.org:6379/0",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The test process's own settings variables must not leak into the one under test.
    inherited = {
        "DEBUG",
        "SECRET_KEY",
        "SECURE_SSL_REDIRECT",
        "STATIC_MANIFEST",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_environment(tmp_path):
    env = PRODUCTION_ENV | {"VAR_DIR": str(tmp_path)}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_sqlite_and_the_filesystem_broker(tmp_path):
    # given production settings that forgot DATABASE_URL and REDIS_URL
    env = PRODUCTION_ENV | {
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "(integration.W001) DEBUG is off but the database is SQLite." in output
    assert "(integration.W002) DEBUG is off but the Celery broker is the filesystem" in output


SQLITE = "django.db.backends.sqlite3"
POSTGRES = "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("debug", "engine", "broker", "expected"),
    [
        (True, SQLITE, "filesystem://", set()),
        (False, SQLITE, "filesystem://", {"integration.W001", "integration.W002"}),
        (False, SQLITE, "redis://redis.example.org:6379/0", {"integration.W001"}),
        (False, POSTGRES, "filesystem://", {"integration.W002"}),
        (False, POSTGRES, "redis://redis.example.org:6379/0", set()),
    ],
)
def test_development_services_check_names_each_development_default(debug, engine, broker, expected):
    from integration.checks import development_services_check

    # (DATABASES is patched in place: override_settings(DATABASES=...) would swap connections)
    with (
        override_settings(DEBUG=debug, CELERY_BROKER_URL=broker),
        mock.patch.dict(settings.DATABASES["default"], {"ENGINE": engine}),
    ):
        ids = {message.id for message in development_services_check()}
    assert ids == expected


def test_missing_secret_key_fails_loudly_when_debug_is_off(tmp_path):
    env = PRODUCTION_ENV | {"VAR_DIR": str(tmp_path), "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_development_defaults_need_no_services(tmp_path):
    # given nothing but DEBUG=1: SQLite and the filesystem broker under var/, a generated key
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL,"
        " len(settings.SECRET_KEY))",
        env={
            "DEBUG": "1",
            "VAR_DIR": str(tmp_path),
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "CELERY_BROKER_URL": "",
        },
    )
    assert result.returncode == 0, result.stderr
    engine, broker, key_length = result.stdout.splitlines()[-1].split()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert int(key_length) >= 50
    assert (tmp_path / "secret_key").exists()


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_ruff_is_clean():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
    result = subprocess.run(
        [str(ruff), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_no_function_may_pass_complexity_15_and_ci_lints_before_it_tests():
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert "C90" in lint["select"]
    assert lint["mccabe"]["max-complexity"] == 15
    # only tests and benchmarks may exceed it
    exempt = {
        path
        for path, codes in lint["per-file-ignores"].items()
        if any(code.startswith("C90") for code in codes)
    }
    assert exempt == {"tests/**", "bench/**"}
    ci = (ROOT / ".ci" / "run").read_text()
    assert "\nmake lint\n" in ci
    assert ci.index("\nmake lint\n") < ci.index("make test PYTEST_ARGS")


def test_the_suite_runs_on_the_database_and_broker_the_environment_names():
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if os.environ.get("CI") == "true":
        # CI must exercise production's services, never the development defaults.
        assert database_url.startswith(("postgres://", "postgresql://")), database_url
        assert redis_url.startswith("redis://"), redis_url
    engine = settings.DATABASES["default"]["ENGINE"]
    if database_url.startswith(("postgres://", "postgresql://")):
        assert engine == "django.db.backends.postgresql"
    elif not database_url:
        assert engine == "django.db.backends.sqlite3"
    # CELERY_BROKER_URL wins over REDIS_URL when both are set (integration/settings.py).
    if redis_url and not os.environ.get("CELERY_BROKER_URL"):
        assert redis_url == settings.CELERY_BROKER_URL
    elif not redis_url and not os.environ.get("CELERY_BROKER_URL"):
        assert settings.CELERY_BROKER_URL == "filesystem://"


class TestDockerCompose:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    def test_it_has_postgres_redis_web_and_worker_with_health_checks(self):
        services = self.compose["services"]
        assert {"postgres", "redis", "web", "worker"} <= set(services)
        for name in ("postgres", "redis", "web", "worker"):
            assert "healthcheck" in services[name], name
        assert set(self.compose["volumes"]) >= {"pgdata", "redisdata"}

    def test_web_runs_gunicorn_and_worker_runs_celery_on_this_project(self):
        services = self.compose["services"]
        assert services["web"]["command"][:2] == ["gunicorn", "integration.wsgi:application"]
        assert services["worker"]["command"][:3] == ["celery", "-A", "integration"]

    def test_app_environment_uses_only_variables_the_settings_read(self):
        # The settings module and the part it star-imports (single sign-on).
        settings_source = "".join(
            (ROOT / "integration" / name).read_text()
            for name in ("settings.py", "oidc_settings.py")
        )
        env = self.compose["services"]["web"]["environment"]
        for variable in env:
            assert f'"{variable}"' in settings_source, variable
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= set(env)
        assert env["DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")

    def test_every_app_service_shares_the_app_environment(self):
        services = self.compose["services"]
        shared = self.compose["x-app-env"]
        for name in ("web", "worker", "beat"):
            assert services[name]["environment"] == shared, name
        # migrations may rewrite large tables: only the statement timeout differs
        assert services["migrate"]["environment"] == shared | {"DATABASE_STATEMENT_TIMEOUT": "0"}

    def test_only_the_tls_proxy_is_published_and_the_app_trusts_exactly_it(self):
        services = self.compose["services"]
        published = {name for name, service in services.items() if "ports" in service}
        assert published == {"proxy"}
        assert "443:443" in services["proxy"]["ports"]
        assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
        assert "reverse_proxy {$APP_UPSTREAM:web:8000}" in (ROOT / "Caddyfile").read_text()
        env = self.compose["x-app-env"]
        assert (env["TRUSTED_PROXIES"], env["PROXY_TLS_HEADER"]) == ("1", "X-Forwarded-Proto")

    def test_postgres_and_redis_keep_their_data_in_volumes(self):
        services = self.compose["services"]
        assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
        assert "redisdata:/data" in services["redis"]["volumes"]
        assert "--appendonly" in services["redis"]["command"]  # Redis writes its queue to /data

    def test_web_health_check_runs_the_probe_script(self):
        test = self.compose["services"]["web"]["healthcheck"]["test"]
        assert test == ["CMD", "python", "integration/healthcheck.py"]
        assert (ROOT / test[2]).is_file()

    def test_every_variable_is_documented_in_env_example(self):
        documented = {
            line.split("=", 1)[0]
            for line in (ROOT / ".env.example").read_text().splitlines()
            if "=" in line and not line.startswith("#")
        }
        assert set(self.compose["services"]["web"]["environment"]) <= documented


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    from integration.celery import app

    # a port where nothing listens: the broker is down
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client):
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    # given a database that refuses every query (as when PostgreSQL is down); on the class, as
    # the check runs in a thread of its own, with its own connection
    with mock.patch.object(
        BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "broker": "ok"}


@pytest.mark.django_db
def test_database_statements_are_cancelled_after_the_statement_timeout():
    from django.db import OperationalError, connection

    if connection.vendor != "postgresql" and not os.environ.get("CI"):
        pytest.skip("a PostgreSQL setting: set DATABASE_URL to run it")
    # given the configured timeout, as every connection gets it from settings
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("30s",)
        # when a statement runs past a (lowered) timeout, then the server cancels it
        cursor.execute("SET LOCAL statement_timeout = 50")
        with pytest.raises(OperationalError, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(5)")


@pytest.mark.parametrize(
    "allowed_hosts",
    [
        "localhost",
        "integration.example.org",
        "integration.example.org,localhost",
        " integration.example.org , other.example.org",
        ".example.org",
        "*",
    ],
)
def test_web_health_probe_sends_a_host_that_allowed_hosts_accepts(allowed_hosts):
    from django.http.request import validate_host

    from integration.healthcheck import probe_host

    hosts = [host.strip() for host in allowed_hosts.split(",")]
    assert validate_host(probe_host(allowed_hosts), hosts)


@pytest.mark.django_db(transaction=True)
def test_web_health_probe_passes_against_a_running_server_and_fails_on_a_refused_host(
    live_server,
):
    def probe(allowed_hosts: str) -> subprocess.CompletedProcess[str]:
        env = os.environ | {
            "ALLOWED_HOSTS": allowed_hosts,
            "HEALTHCHECK_URL": f"{live_server.url}/healthz",
        }
        return subprocess.run(
            [sys.executable, "integration/healthcheck.py"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    # the live server allows localhost: healthy
    assert probe("localhost,other.example.org").returncode == 0
    # a Host the server refuses (400) is unhealthy, so the header really is the one sent
    refused = probe("integration.example.org")
    assert refused.returncode == 1
    assert "400" in refused.stderr
