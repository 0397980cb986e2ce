"""Deploy checks (`manage.py check --deploy`): the development defaults must not reach production.

With no DATABASE_URL or REDIS_URL the settings fall back to SQLite and Kombu's filesystem
transport under var/, so that `make run` needs no server. Both work on one machine only: a
second web or worker process would have its own database or queue.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks


# deploy=True: only `check --deploy` runs it; `make run` (DEBUG on) never sees it anyway.
@checks.register(deploy=True)
def development_services_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn when DEBUG is off but the database or the broker is a development default."""
    if settings.DEBUG:
        return []
    warnings = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        warnings.append(
            checks.Warning(
                "DEBUG is off but the database is SQLite.",
                hint="Set DATABASE_URL to PostgreSQL, e.g. postgres://user:pw@host:5432/db.",
                id="integration.W001",
            )
        )
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        warnings.append(
            checks.Warning(
                "DEBUG is off but the Celery broker is the filesystem transport.",
                hint="Set REDIS_URL (or CELERY_BROKER_URL), e.g. redis://host:6379/0.",
                id="integration.W002",
            )
        )
    return warnings
