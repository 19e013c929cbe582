"""The one settings module: every knob comes from the environment (a `.env` file is honoured,
the environment wins). Embedded defaults (SQLite, eager Celery, local-memory cache, console
e-mail) make `make run` work with nothing else running; see README "Configuration"."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from config.email_url import email_settings

django_stubs_ext.monkeypatch()  # generic admin/form classes (ModelAdmin[Ticket]) at runtime

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)  # the process environment wins

# --- Django -------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-key-only-for-debug" if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "config.error_pages.csrf_failure"  # the workspace's page, not Django's

# --- Deployment: HTTPS, cookies, proxies (README "Production"; `check --deploy` is clean with
# the values given there). Defaults suit `make run` and the tests, which speak plain HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
# "HTTP_X_FORWARDED_PROTO,https" behind a proxy that sets that header (and strips the client's)
_PROXY_SSL_HEADER = env.list("SECURE_PROXY_SSL_HEADER", default=[])
SECURE_PROXY_SSL_HEADER = tuple(_PROXY_SSL_HEADER[:2]) if len(_PROXY_SSL_HEADER) == 2 else None
# proxies in front of the app that append to X-Forwarded-For (0: trust only REMOTE_ADDR)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],  # the admin's widgets set inline styles
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],  # Redoc
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_celery_beat",
    "drf_spectacular_sidecar",
    "axes",
    "supportdesk.core",
    "supportdesk.languages",
    "supportdesk.clients",
    "supportdesk.agents",
    "supportdesk.tickets",
    "supportdesk.routing",
    "supportdesk.dashboards",
    "supportdesk.sla",
    "supportdesk.notifications",
    "supportdesk.simulation",
    "supportdesk.attachments",
    "supportdesk.macros",
    "supportdesk.mail",
    "supportdesk.audit",
    "supportdesk.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "supportdesk.api.language.ApiLanguageMiddleware",  # /api/: any enabled language with a catalog
    "supportdesk.api.rate_headers.RateLimitHeadersMiddleware",  # RateLimit-* of throttled answers
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "supportdesk.agents.middleware.AgentPreferencesMiddleware",
    "supportdesk.audit.middleware.AuditContextMiddleware",  # the address, for audit hooks
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers locked-out logins
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
APPEND_SLASH = True

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env.bool("DB_PREPARED_STATEMENTS", default=True):
    # Prepared statements on, but only for statements that ask (`execute(..., prepare=True)`:
    # the intake's one statement, parsed and planned once per connection instead of per
    # ticket). Django's own queries carry their values inline, so no text of theirs recurs
    # this often. Turn off behind a PgBouncer in transaction mode older than 1.21.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 1_000_000_000
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://supportdesk")}


# --- E-mail -------------------------------------------------------------------------------
vars().update(
    email_settings(
        env.str("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"),
        debug=DEBUG,
    )
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="support@supportdesk.localhost")
# the customer e-mail outbox: the sweep sends what no message did
EMAIL_SWEEP_SECONDS = env.int("EMAIL_SWEEP_SECONDS", default=30)
EMAIL_SWEEP_GRACE_SECONDS = env.int("EMAIL_SWEEP_GRACE_SECONDS", default=120)
EMAIL_SWEEP_WINDOW_SECONDS = env.int("EMAIL_SWEEP_WINDOW_SECONDS", default=86400)
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=8)

# --- Inbound e-mail (supportdesk.mail, docs/mail.md) --------------------------------------
MAIL_FETCH_SECONDS = env.int("MAIL_FETCH_SECONDS", default=60)
MAIL_FETCH_BATCH = env.int("MAIL_FETCH_BATCH", default=200)  # messages per mailbox and fetch
MAIL_IMAP_TIMEOUT_SECONDS = env.int("MAIL_IMAP_TIMEOUT_SECONDS", default=30)
# IMAP servers' certificates are always verified (system trust store); a PEM bundle of further
# CAs to trust (a private CA of the mail server) may be added here
MAIL_IMAP_CA_FILE = env.str("MAIL_IMAP_CA_FILE", default="")
MAIL_MAX_MESSAGE_BYTES = env.int("MAIL_MAX_MESSAGE_BYTES", default=40 * 1024 * 1024)
MAIL_RATE_LIMIT_TICKETS = env.int("MAIL_RATE_LIMIT_TICKETS", default=5)
MAIL_RATE_LIMIT_MINUTES = env.int("MAIL_RATE_LIMIT_MINUTES", default=10)
MAIL_MESSAGE_ID_DOMAIN = env.str("MAIL_MESSAGE_ID_DOMAIN", default="")
# provider webhooks at /mail/inbound/<provider>/: off (404) until the basic-auth secret is set
ANYMAIL = {
    name: value
    for name, value in {
        "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default=""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
        "MANDRILL_WEBHOOK_KEY": env.str("MANDRILL_WEBHOOK_KEY", default=""),
    }.items()
    if value
}

# --- Auth, static files -------------------------------------------------------------------
_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{_VALIDATION}.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # admin login throttling (django-axes)
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "supportdesk.core.client_ip.axes_client_ip"
AXES_VERBOSE = False
LOGIN_URL = "admin:login"
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)

# --- i18n ---------------------------------------------------------------------------------
DEFAULT_LANGUAGE = env.str("DEFAULT_LANGUAGE", default="en")
LANGUAGE_CODE = DEFAULT_LANGUAGE
LANGUAGES = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("pt-br", "Português (Brasil)"),
    ("pl", "Polski"),
    ("sv", "Svenska"),
    ("da", "Dansk"),
    ("nb", "Norsk bokmål"),
    ("fi", "Suomi"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
]
# locale/: every string, in the admin's languages; locale_api/: the API's own messages in the
# other enabled ticket languages Django and DRF ship catalogs for (scripts/api_catalogs.py)
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_api"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL  # embedded default: see docs/adr/0005
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- API ----------------------------------------------------------------------------------
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/min")
# staff `Authorization: Token` keys older than this are refused (0: never); rotate with
# `create_agent USER --rotate-token`
STAFF_TOKEN_MAX_AGE_DAYS = env.int("STAFF_TOKEN_MAX_AGE_DAYS", default=90)
# invalid API keys per client address; past it every key from there is a 429 for the window
API_BAD_KEY_RATE = env.str("API_BAD_KEY_RATE", default="30/min")
MAX_TICKET_BODY_CHARS = env.int("MAX_TICKET_BODY_CHARS", default=20000)
# API keys, SLA policies, enabled languages, webhook endpoints: kept per process this long
REFERENCE_CACHE_SECONDS = env.float("REFERENCE_CACHE_SECONDS", default=5.0)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "supportdesk.api.authentication.ApiKeyAuthentication",
        "supportdesk.api.authentication.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["supportdesk.api.parsers.StrictJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["supportdesk.api.throttling.PrincipalRateThrottle"],
    "EXCEPTION_HANDLER": "supportdesk.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # anonymous throttling: the client's own address
}
SPECTACULAR_SETTINGS = {
    "TITLE": "supportdesk API",
    "DESCRIPTION": "Multilingual customer-support ticketing: tickets, languages, agents.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from the package: no CDN, works offline
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "supportdesk.api.schema.document_rate_headers",  # RateLimit-* and Retry-After
    ],
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": ["new", "open", "pending", "solved", "closed"],
        "AgentStatusEnum": ["online", "away", "offline"],
    },
}

# --- Routing knobs ------------------------------------------------------------------------
ROUTING_FALLBACK_AFTER_SECONDS = env.int("ROUTING_FALLBACK_AFTER_SECONDS", default=300)
AGENT_TTL_SECONDS = env.int("AGENT_TTL_SECONDS", default=120)
ROUTING_SWEEP_SECONDS = env.int("ROUTING_SWEEP_SECONDS", default=10)
ROUTING_RECLAIM_AFTER_SECONDS = env.int("ROUTING_RECLAIM_AFTER_SECONDS", default=600)
DEFAULT_AGENT_CAPACITY = env.int("DEFAULT_AGENT_CAPACITY", default=5)
ROUTING_CONTINUITY = env.bool("ROUTING_CONTINUITY", default=True)  # prefer the last agent
ROUTING_RELEASE_COOLDOWN_SECONDS = env.int("ROUTING_RELEASE_COOLDOWN_SECONDS", default=300)
# issue #13 (docs/subsystems/routing.md, ADR 0011): `old` keeps the pre-#13 rule for comparison
ROUTING_POLICY = env.str("ROUTING_POLICY", default="language_first")
ROUTING_FALLBACK_GRACE_SECONDS = env.int("ROUTING_FALLBACK_GRACE_SECONDS", default=120)
ROUTING_FALLBACK_UNSTAFFED_AFTER_SECONDS = env.int(
    "ROUTING_FALLBACK_UNSTAFFED_AFTER_SECONDS", default=0
)
ROUTING_AGING_AFTER_SECONDS = env.int("ROUTING_AGING_AFTER_SECONDS", default=900)
ROUTING_HANDLE_ESTIMATE_SECONDS = env.int("ROUTING_HANDLE_ESTIMATE_SECONDS", default=420)
# /metrics: readable with `Authorization: Bearer <METRICS_TOKEN>`; unset: loopback clients only
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
IDEMPOTENCY_WINDOW = timedelta(hours=24)

# --- SLA and notifications (docs/subsystems/sla-and-notifications.md) ---------------------
SLA_CHECK_SECONDS = env.int("SLA_CHECK_SECONDS", default=60)
# the living demo of `make run` (manage.py demo_live; DEMO_LIVE=0 in make run turns it off)
DEMO_LIVE_ARRIVALS_PER_MINUTE = env.float("DEMO_LIVE_ARRIVALS_PER_MINUTE", default=6.0)
MANAGER_EMAILS = env.list("MANAGER_EMAILS", default=[])  # besides users in the managers group
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=10)
WEBHOOK_RETRY_MAX_SECONDS = env.int("WEBHOOK_RETRY_MAX_SECONDS", default=3600)
WEBHOOK_MAX_FAILURES = env.int("WEBHOOK_MAX_FAILURES", default=5)  # then the endpoint is disabled
WEBHOOK_SWEEP_SECONDS = env.int("WEBHOOK_SWEEP_SECONDS", default=30)
WEBHOOK_SWEEP_GRACE_SECONDS = env.int("WEBHOOK_SWEEP_GRACE_SECONDS", default=60)
WEBHOOK_ALLOW_PRIVATE_URLS = env.bool("WEBHOOK_ALLOW_PRIVATE_URLS", default=DEBUG)
WEBHOOK_MAX_ENDPOINTS_PER_APP = env.int("WEBHOOK_MAX_ENDPOINTS_PER_APP", default=10)

# --- Attachments (docs/subsystems/attachments.md) ------------------------------------------
ATTACHMENT_MAX_FILE_BYTES = env.int("ATTACHMENT_MAX_FILE_BYTES", default=20 * 1024 * 1024)
ATTACHMENT_MAX_MESSAGE_BYTES = env.int("ATTACHMENT_MAX_MESSAGE_BYTES", default=40 * 1024 * 1024)
ATTACHMENT_MAX_FILES = env.int("ATTACHMENT_MAX_FILES", default=10)
ATTACHMENT_EMAIL_MAX_BYTES = env.int("ATTACHMENT_EMAIL_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_LINK_MAX_AGE_SECONDS = env.int("ATTACHMENT_LINK_MAX_AGE_SECONDS", default=7 * 86400)
ATTACHMENT_ORPHAN_GRACE_SECONDS = env.int("ATTACHMENT_ORPHAN_GRACE_SECONDS", default=3600)
ATTACHMENT_SWEEP_SECONDS = env.int("ATTACHMENT_SWEEP_SECONDS", default=3600)
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")  # e-mail links
ATTACHMENT_S3_BUCKET = env.str("ATTACHMENT_S3_BUCKET", default="")  # unset: MEDIA_ROOT
if ATTACHMENT_S3_BUCKET:  # credentials: the usual AWS_* variables or the instance role
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ATTACHMENT_S3_BUCKET,
            "endpoint_url": env.str("ATTACHMENT_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("ATTACHMENT_S3_REGION", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    STORAGES["attachments"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
# Uploads above this many bytes go to a temporary file while the request is parsed
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# Files per form: counted by our own first upload handler instead of Django's setting, so the
# ticket page's reply box can refuse too many files with its own message and keep the reply;
# any other form is refused past ATTACHMENT_MAX_FILES + 1 as before
# (supportdesk/tickets/admin/uploads.py)
DATA_UPLOAD_MAX_NUMBER_FILES = None
FILE_UPLOAD_HANDLERS = [
    "supportdesk.tickets.admin.uploads.FileCountHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Privacy (docs/privacy.md) -------------------------------------------------------------
# solved/closed tickets older than this many days are anonymised (0: kept); a client
# application's own RetentionPolicy (admin) overrides it
RETENTION_DAYS = env.int("RETENTION_DAYS", default=730)
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=200)  # tickets per transaction
RETENTION_SWEEP_SECONDS = env.int("RETENTION_SWEEP_SECONDS", default=3600)
PRIVACY_EXPORT_TTL_SECONDS = env.int("PRIVACY_EXPORT_TTL_SECONDS", default=72 * 3600)

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
