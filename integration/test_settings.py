"""Test settings: the production module with a fixed key and the dev-friendly toggles on.

DATABASE_URL and REDIS_URL still come from the environment, so `make test` with both set runs
on PostgreSQL and Redis, and without them on SQLite and the filesystem broker.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")

from integration.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Browser tests talk plain HTTP to a live server; secure-only cookies would never be sent.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Serve static files from the apps' folders, as runserver does; no collectstatic before tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# API throttles: counters in this process's memory (never left over in Redis between runs) and
# rates no test reaches by accident; tests/api/test_throttling.py lowers one to see a 429.
CACHES["throttle"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # noqa: F405
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "token": "100000/minute"},
}

# Test-only fault injection for reports (tests/reports/faults.py): a listener on the reports'
# progress signal that slows a report down, crashes it or kills its worker process, as the
# environment says, so tests/reports/test_worker.py can hand it to a worker process. Production
# settings never install it.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.reports.faults.FaultInjectionConfig"]  # noqa: F405
