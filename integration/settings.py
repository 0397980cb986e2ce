"""One settings module, driven by the environment (see .env.example for every variable).

With DEBUG off (the default) the settings are production-safe: a SECRET_KEY must be given,
cookies are secure and HTTPS is enforced. `make run` turns DEBUG on and needs no services:
SQLite under var/ and Kombu's filesystem transport as the Celery broker.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """The configured key; in development, one generated once and kept under var/."""
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "integration",
    "missions",
    "assessments",
    "reports",
    "sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the address or the form: a NUL in them is a 400, not a 500.
    "integration.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a session unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A domain error a page's view lets escape: its declared status and message, not a 500.
    "integration.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "integration.security_headers.SecurityHeadersMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "integration.urls"
WSGI_APPLICATION = "integration.wsgi.application"
ASGI_APPLICATION = "integration.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# An empty variable counts as unset, so `DATABASE_URL= make run` still gets the SQLite default.
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections in production: opening a PostgreSQL connection costs more than most
# API requests. Each process keeps one for CONN_MAX_AGE seconds (checked before reuse, so a
# restarted database costs one failed check, not a failed request). Development keeps
# Django's default (runserver starts a thread, and so a connection, per request anyway).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A PostgreSQL that hangs must not hold a web worker until gunicorn kills it: connecting
    # gives up after DATABASE_CONNECT_TIMEOUT seconds, and the server cancels any statement that
    # runs longer than DATABASE_STATEMENT_TIMEOUT (0 turns it off: the migrate service does).
    # Web statements take milliseconds; the longest legitimate ones (a re-evaluation batch, a
    # portfolio report's reads) take seconds, well inside the default.
    DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=30.0)
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=3),
        "options": f"-c statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)}",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Sign-in guard (django-axes) ----------------------------------------------------------
# The lockout check comes first, so a locked-out sign-in is refused before any password hashing.
AUTHENTICATION_BACKENDS = [
    "integration.signin.SignInLockoutBackend",
    # Django's ModelBackend, whose session user comes with its roles (no query per page).
    "missions.auth_backends.RolesModelBackend",
]
# LOGIN_FAILURE_LIMIT failed sign-ins for one username, or from one client address whatever the
# usernames, lock that username or address out of /login/ and /admin/login/ for
# LOGIN_LOCKOUT_MINUTES (each further attempt restarts the wait), unless an admin lifts it
# (admin: Axes, Access attempts). The counters are rows in the database, shared by every web
# process. A success does not reset them: axes would reset by address too, so one attacker's
# own good sign-in would clear the failures it piled on someone else's account.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.float("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "integration.network.client_address"
AXES_RESET_ON_SUCCESS = False
AXES_DISABLE_ACCESS_LOG = True  # the sign-in audit (integration.audit) records sign-ins
AXES_LOCKOUT_CALLABLE = "integration.signin.lockout_response"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env.bool("STATIC_MANIFEST", default=True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Celery -------------------------------------------------------------------------------
# REDIS_URL names the production broker; CELERY_BROKER_URL wins when both are set. Without
# either, Kombu's filesystem transport under var/ lets `make run` work with no server at all.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
BROKER_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT", default=3.0)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"  # Kombu's default is ./control, in the cwd
    for _dir in (_queue_dir, _processed_dir, _control_dir):
        _dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task not acknowledged within an hour is redelivered; reports finish well before.
        "visibility_timeout": 3600,
        # A Redis that accepts connections and never answers must not hold a web worker on the
        # health check's ping or a report's publish (redis-py waits forever by default). The
        # worker's BRPOP returns every second (Kombu's brpop_timeout), inside this timeout.
        "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
        "socket_timeout": BROKER_SOCKET_TIMEOUT,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Job rows in the database are the source of truth; Celery keeps no results.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Reports (reports; docs/reports.md) ---------------------------------------
# Private files: downloads go through a permission-checked view; nothing here is served as media.
REPORTS_ROOT = Path(env.str("REPORTS_ROOT", default="") or MEDIA_ROOT / "private" / "reports")
# Report files are written by workers and served by web processes, so production keeps them
# where every process reaches them: PostgreSQL ("database", reports/storage.py; README,
# "Production shape"). `make run` (DEBUG) keeps them on the local disk under REPORTS_ROOT.
REPORTS_STORAGE = env.str("REPORTS_STORAGE", default="filesystem" if DEBUG else "database")
STORAGES["reports"] = {
    "BACKEND": {
        "database": "reports.storage.DatabaseStorage",
        "filesystem": "reports.storage.ReportFileSystemStorage",
    }[REPORTS_STORAGE]
}
# Each user may create this many report jobs per window (session and API token alike); an
# identical request still queued or running returns that job and does not count.
REPORTS_QUOTA = env.int("REPORTS_QUOTA", default=10)
REPORTS_QUOTA_SECONDS = env.float("REPORTS_QUOTA_SECONDS", default=300.0)
REPORTS_MAX_ATTEMPTS = env.int("REPORTS_MAX_ATTEMPTS", default=3)
# A running job whose heartbeat is older than the lease is presumed lost (its worker died). A
# live job renews its heartbeat at every progress step and, from a background thread, every
# REPORTS_HEARTBEAT_SECONDS, so the lease is short and independent of the task's time limit: a
# killed worker's report is taken over within about a minute.
REPORTS_LEASE_SECONDS = env.float("REPORTS_LEASE_SECONDS", default=60.0)
REPORTS_HEARTBEAT_SECONDS = env.float("REPORTS_HEARTBEAT_SECONDS", default=10.0)
# A queued job not started this long after dispatch is dispatched again (lost message).
REPORTS_REDISPATCH_SECONDS = env.float("REPORTS_REDISPATCH_SECONDS", default=300.0)
# A failed attempt is queued again after this many seconds times the attempts so far.
REPORTS_RETRY_DELAY_SECONDS = env.float("REPORTS_RETRY_DELAY_SECONDS", default=10.0)
REPORTS_SWEEP_SECONDS = env.float("REPORTS_SWEEP_SECONDS", default=60.0)
REPORTS_SWEEP_BATCH = env.int("REPORTS_SWEEP_BATCH", default=100)
# --- Sign-in audit (integration/audit.py) -------------------------------------------------
# Entries older than this are deleted by beat's daily prune, SIGNIN_AUDIT_PRUNE_BATCH at a time.
SIGNIN_AUDIT_RETENTION_DAYS = env.int("SIGNIN_AUDIT_RETENTION_DAYS", default=365)
SIGNIN_AUDIT_PRUNE_BATCH = env.int("SIGNIN_AUDIT_PRUNE_BATCH", default=1000)
CELERY_BEAT_SCHEDULE = {
    "reports-sweep": {
        "task": "reports.sweep",
        "schedule": REPORTS_SWEEP_SECONDS,
        "options": {"expires": REPORTS_SWEEP_SECONDS},
    },
    # Re-evaluation jobs recover the same way (assessments/reevaluation_jobs.py).
    "reevaluation-sweep": {
        "task": "assessments.reevaluation_sweep",
        "schedule": REPORTS_SWEEP_SECONDS,
        "options": {"expires": REPORTS_SWEEP_SECONDS},
    },
    "signin-audit-prune": {
        "task": "integration.signin_events_prune",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600},
    },
}

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a request without credentials a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integration.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "integration.api.permissions.TokenScopeAllows",
    ],
    "DEFAULT_PARSER_CLASSES": ["integration.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "integration.api.schema.ApiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "integration.api.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "integration.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "integration.api.throttling.AnonymousThrottle",
        "integration.api.throttling.TokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "30/minute", "token": "600/minute"},
    # The client address is integration.network.client_address (TRUSTED_PROXIES), not DRF's.
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Integration decision support API",
    "DESCRIPTION": "Integration profiles of UN peace operations, assessments and a stateless "
    "what-if evaluator. See docs/api.md.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Deep links put a link inside each operation's toggle button (nested interactive
    # controls, which screen readers cannot reach); without them the page passes axe.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "assessments.models.Assessment.Status",
        "RulebookStatusEnum": "integration.models.Rulebook.Status",
        "DimensionEnum": "integration.engine.vocabulary.DIMENSIONS",
        "DegreeEnum": "integration.engine.vocabulary.DEGREES",
        # Named here so the reports' own "kind" field leaves the entities' KindEnum as it was.
        "KindEnum": "integration.engine.vocabulary.ENTITY_KINDS",
        "ReportKindEnum": "reports.models.ReportJob.Kind",
        "ReportStateEnum": "reports.models.ReportJob.State",
        "ReportFormatEnum": "reports.formats.FORMAT_CHOICES",
    },
}
# API throttle counters must be shared by every web process: Redis when there is one.
# A Redis that accepts connections but never answers must not stall requests: after a second
# (redis-py's own default is 5 s per call) the throttle gives up and lets the request through
# (integration/api/throttling.py); the levers cache reads as empty (assessments/levers_cache.py).
THROTTLE_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
LEVERS_CACHE_TIMEOUT = env.int("LEVERS_CACHE_TIMEOUT", default=90 * 24 * 3600)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "throttle",
            "OPTIONS": THROTTLE_CACHE_OPTIONS,
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    ),
    # The engine's levers of stored evaluations (assessments/levers_cache.py), shared by web and
    # worker processes. Keys name all they depend on: entries expire only so unread ones leave.
    "levers": {"TIMEOUT": LEVERS_CACHE_TIMEOUT}
    | (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        | {"KEY_PREFIX": "levers", "OPTIONS": THROTTLE_CACHE_OPTIONS}
        if REDIS_URL  # locmem's default 300 entries would not hold a portfolio's 2 languages
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "levers"}
        | {"OPTIONS": {"MAX_ENTRIES": 5000}}
    ),
}

# --- Single sign-on (OpenID Connect): the OIDC_* variables, read in integration/oidc_settings.py
from integration.oidc_settings import *  # noqa: E402, F403

if OIDC_ENABLED:  # noqa: F405
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "sso.backends.OidcBackend"]

# --- Security -------------------------------------------------------------------------------
# Proxy headers are trusted only when the deployment says a proxy sets them: anyone can send
# X-Forwarded-For or X-Forwarded-Proto to a gunicorn that faces the network. TRUSTED_PROXIES is
# how many reverse proxies stand in front of gunicorn, each appending to X-Forwarded-For; the
# client is the entry that many from the right (integration/network.py), and REMOTE_ADDR when 0.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
# The header the (trusted) proxy sets to "https" for TLS requests, e.g. X-Forwarded-Proto.
PROXY_TLS_HEADER = env.str("PROXY_TLS_HEADER", default="")
if PROXY_TLS_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_TLS_HEADER.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint announces every rendering step at INFO (some at import); a cron job's
        # stderr and a worker's log need only its warnings. fontTools subsets fonts chattily.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
