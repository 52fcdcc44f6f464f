"""Settings for every deployment. Every difference between deployments is an environment
variable; `.env.example` documents each one."""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HELPDESK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105 (debug only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Where people reach the site: every link in a mail starts with it (scheme, host and port, no path).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",  # runserver serves ASGI (HTTP and the chat's WebSockets); must come first
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "taggit",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "axes",
    # The project's apps, bottom layer first (docs/architecture.md, .importlinter).
    "accounts",
    "products",
    "sla",
    "notifications",
    "tickets",
    "escalation",
    "privacy",
    "knowledge",
    "chat",
    "reports",
    "api",
]
# Development only: the load generator (`manage.py generate_load`) where the source tree has bench/ (not the image).
if importlib.util.find_spec("bench") and importlib.util.find_spec("bench.loadgen"):
    INSTALLED_APPS.append("bench.loadgen")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"
ASGI_APPLICATION = "helpdesk.asgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL, or a SQLite file under var/ so that nothing must be installed.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'helpdesk.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker share the file: wait for locks instead of
    # failing, and take the write lock at the start of a transaction (no upgrade deadlocks).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock an account/address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "core.addresses.client_address"
# Days the sign-in records are kept (privacy.tasks.sign_in_records_run, daily); 0 keeps them.
SIGN_IN_RECORD_DAYS = int(os.environ.get("SIGN_IN_RECORD_DAYS", "90"))

# The reverse proxies whose X-Forwarded-For (and, in gunicorn, X-Forwarded-Proto) are believed:
# addresses or networks, comma-separated, "*" for any peer. gunicorn reads the same variable
# (helpdesk/gunicorn_conf.py); `core.addresses.client_address` reads this list.
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", "") or ["127.0.0.1", "::1"]

# Internationalisation: German first, English second; each user's choice sticks.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
# One date and time style per language on every page and mail (helpdesk/formats/<language>/).
FORMAT_MODULE_PATH = ["helpdesk.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files live outside any public URL; they are served by permission-checked views.
MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private-media"))

# Tickets: how long a closed ticket may be reopened; attachment size limit and accepted types.
TICKET_REOPEN_DAYS = int(os.environ.get("TICKET_REOPEN_DAYS", "14"))
# How long after the first resolution the requester may answer the satisfaction survey (portal,
# mail link, API); the mail's signed link is valid as long (docs/agent-desk.md).
SATISFACTION_SURVEY_DAYS = int(os.environ.get("SATISFACTION_SURVEY_DAYS", "14"))
ATTACHMENT_MAX_MB = float(os.environ.get("ATTACHMENT_MAX_MB", "20"))
ATTACHMENT_ALLOWED_EXTENSIONS = env_list(
    "ATTACHMENT_ALLOWED_EXTENSIONS",
    "pdf,png,jpg,jpeg,gif,txt,log,csv,json,xml,eml,msg,zip,docx,xlsx,pptx,odt,ods",
)

# E-mail: the console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds to wait for the mail server before an attempt counts as failed (it is retried later).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "30"))
# Files of a public reply are attached to its mail up to this total size; beyond it they are linked.
MAIL_ATTACHMENTS_MAX_MB = float(os.environ.get("MAIL_ATTACHMENTS_MAX_MB", "10"))
# The hour (TIME_ZONE) at which the daily digest of escalations goes to those who chose it.
DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))
# Folder of django.core.mail.backends.filebased.EmailBackend (one file per connection).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Helpdesk <helpdesk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Replies to ticket mail come back to this mailbox, plus-addressed with a signed token
# (notifications/reply_tokens.py); empty means the address in DEFAULT_FROM_EMAIL.
REPLY_TO_ADDRESS = os.environ.get("REPLY_TO_ADDRESS", "")

# Celery: Redis when CELERY_BROKER_URL says so, else kombu's filesystem transport.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
elif os.environ.get("CELERY_BROKER_VISIBILITY_TIMEOUT"):
    # Redis: seconds after which an unacknowledged (acks_late) task is delivered again.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ["CELERY_BROKER_VISIBILITY_TIMEOUT"])}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Broker outages: Celery's consumer with the fix for the crash of celery 5.7.0 / kombu 5.7.0 after a
# lost Redis connection (helpdesk/celery_consumer.py); reconnect forever (2, 4, ... at most 10 s
# apart, one log line per attempt), at start too; a running task is not cancelled (a mail being
# sent would be sent twice), its message is redelivered after the visibility timeout if unacknowledged.
CELERY_WORKER_CONSUMER = "helpdesk.celery_consumer:Consumer"
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# django-celery-beat's database scheduler, one beat at a time (a Redis lock), heartbeat file, no
# postponed scan after a (re)start: helpdesk/beat.py.
CELERY_BEAT_SCHEDULER = "helpdesk.beat:Scheduler"
BEAT_LOCK_TTL = float(os.environ.get("BEAT_LOCK_TTL", "15"))
# The queue tasks go to (and workers consume by default); the services tests use their own.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Periodic tasks; django-celery-beat's database scheduler picks these up. A tick that waited too
# long (workers down) expires unprocessed: the next fresh tick does the catch-up. Every 10 s by
# default: a scan costs what is due (index range scan on next_escalation_at), not what exists.
ESCALATION_SCAN_INTERVAL = float(os.environ.get("ESCALATION_SCAN_INTERVAL", "10"))
_tick_expiry = max(ESCALATION_SCAN_INTERVAL, 5)
CELERY_BEAT_SCHEDULE: dict = {
    # The entry keeps its name: beat's database scheduler updates the stored entry of that name
    # (escalation migration 0002 moved stored entries from the task's old name, sla.tasks.…).
    "sla-escalation-scan": {
        "task": "escalation.tasks.escalation_scan",
        "schedule": ESCALATION_SCAN_INTERVAL,
        "options": {"expires": _tick_expiry},
    },
    # Data protection: closed tickets past their organisation's retention period, once a day at night.
    "privacy-retention": {
        "task": "privacy.tasks.retention_run",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    # Data protection: sign-in records (user name, IP address, browser) older than SIGN_IN_RECORD_DAYS.
    "privacy-sign-in-records": {
        "task": "privacy.tasks.sign_in_records_run",
        "schedule": crontab(hour=3, minute=45),
        "options": {"expires": 6 * 60 * 60},
    },
    "notifications-outbox-sweep": {
        "task": "notifications.tasks.outbox_deliver",
        "schedule": ESCALATION_SCAN_INTERVAL,
        "options": {"expires": _tick_expiry},
    },
    # The daily digest of escalations for the people who chose it (escalation/digest.py).
    "escalation-digest": {
        "task": "escalation.tasks.escalation_digest",
        "schedule": crontab(hour=DIGEST_HOUR, minute=0),
        "options": {"expires": 6 * 60 * 60},
    },
}

# Live chat (chat/): the channel layer that carries its events between web processes. Redis when
# CHANNEL_LAYER_URL (or else a Redis CELERY_BROKER_URL) names it, so several web containers share
# it; else the in-memory layer of one process (`make run`).
CHANNEL_LAYER_URL = os.environ.get("CHANNEL_LAYER_URL", "") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
CHANNEL_LAYERS = {
    "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [CHANNEL_LAYER_URL]}}
    if CHANNEL_LAYER_URL
    else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
}
# A chat message's length, and how many messages one side may send in a window of seconds.
CHAT_MESSAGE_MAX_LENGTH = int(os.environ.get("CHAT_MESSAGE_MAX_LENGTH", "2000"))
CHAT_RATE_MESSAGES = int(os.environ.get("CHAT_RATE_MESSAGES", "20"))
CHAT_RATE_SECONDS = int(os.environ.get("CHAT_RATE_SECONDS", "60"))
# Threads (and so database connections) per web process for the chat sockets' database calls.
CHAT_DB_THREADS = int(os.environ.get("CHAT_DB_THREADS", "16"))
# How often the waiting chats are checked for a wait that the desk's team lead should be offered.
CELERY_BEAT_SCHEDULE["chat-offer-long-waits"] = {
    "task": "chat.tasks.chats_offer_to_leads",
    "schedule": 30.0,
    "options": {"expires": 25},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsActivePerson"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PersonThrottle", "api.throttling.AnonymousThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only (anything else is a 415); the attachment upload takes multipart/form-data.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # OPTIONS describes what POST and PATCH accept, not the answer's fields.
    "DEFAULT_METADATA_CLASS": "api.metadata.RequestMetadata",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API throttling per person, per anonymous address and per device ("<n>/<second|minute|hour|day>";
# empty switches it off). Counted in the default cache, i.e. per process unless a shared cache is set.
API_THROTTLE_RATES = {
    "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
    "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
    "device": os.environ.get("API_THROTTLE_DEVICE", "120/minute"),
}
# Unknown API keys (`Token …`, `Device …`) from one address before that address gets 429 for
# LOGIN_COOLOFF_MINUTES (api.throttling); 0 or empty switches it off. Per process, like the throttles.
API_TOKEN_FAILURE_LIMIT = int(os.environ.get("API_TOKEN_FAILURE_LIMIT", "10") or 0)
SPECTACULAR_SETTINGS = {
    "TITLE": "Helpdesk API",
    "DESCRIPTION": "Tickets, conversation, attachments, business calendars, service-level policies, "
    "deadline previews and device reports. Authenticate with a personal token (`Authorization: Token …`) "
    "or a signed-in session; devices with their own key (`Authorization: Device …`).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "sla.choices.Status",
        "SeverityEnum": "sla.choices.Severity",
        "CategoryEnum": "sla.choices.Category",
        "SlaStateEnum": "sla.choices.SlaState",
        "ChannelEnum": "tickets.choices.Channel",
        "FilingChannelEnum": "api.serializers.tickets.AGENT_CHANNEL_CHOICES",
        "ArticleKindEnum": "knowledge.choices.Kind",
        "ArticleStatusEnum": "knowledge.choices.ArticleStatus",
        "ArticleVisibilityEnum": "knowledge.choices.Visibility",
        "AbsenceKindEnum": "accounts.models.Absence.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
        "api.schema.add_any_of",
    ],
    # Swagger UI from drf-spectacular-sidecar's static files: the docs work offline, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Inbound e-mail: an IMAP mailbox polled by Celery when IMAP_HOST is set (else only
# `manage.py ingest_email`, e.g. piped from the mail server). Processed mail is marked as seen.
IMAP_HOST = os.environ.get("IMAP_HOST", "")
IMAP_PORT = int(os.environ.get("IMAP_PORT", "993"))
IMAP_USER = os.environ.get("IMAP_USER", "")
IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD", "")
IMAP_FOLDER = os.environ.get("IMAP_FOLDER", "INBOX")
IMAP_USE_SSL = env_bool("IMAP_USE_SSL", True)
# Without IMAP_USE_SSL: STARTTLS (the default), or plain IMAP when 0 — allowed only for a server on
# this machine (127.0.0.1, ::1, localhost), e.g. the tests' dovecot (.ci/imap-server).
IMAP_USE_STARTTLS = env_bool("IMAP_USE_STARTTLS", True)
IMAP_POLL_SECONDS = float(os.environ.get("IMAP_POLL_SECONDS", "60"))
# Whose Authentication-Results headers (RFC 8601) count when deciding whether a customer's mail
# without a reply token really comes from that customer (docs/mail-trust.md): the authserv-ids of
# our own receiving mail servers, comma-separated. Anyone can write that header, so no other is
# believed; empty (the default) believes none, and such mail is held for review.
INBOUND_TRUSTED_AUTHSERV_IDS = env_list("INBOUND_TRUSTED_AUTHSERV_IDS", "")
if IMAP_HOST:
    CELERY_BEAT_SCHEDULE["inbound-imap-poll"] = {
        "task": "api.tasks.inbound_imap_poll",
        "schedule": IMAP_POLL_SECONDS,
        "options": {"expires": max(IMAP_POLL_SECONDS - 5, 5)},
    }

# Production hardening: active whenever debug is off.
if not DEBUG:
    # No SECURE_PROXY_SSL_HEADER: gunicorn sets the WSGI scheme to https from X-Forwarded-Proto only
    # for a proxy in FORWARDED_ALLOW_IPS and passes the header on unchanged from anyone else, so
    # Django reads the scheme gunicorn decided (request.is_secure() uses wsgi.url_scheme).
    SECURE_PROXY_SSL_HEADER = None
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts and styles from our own static
# files only, no inline code and no eval (htmx's eval features are off: base.html's htmx-config).
# A template that needs an inline block gives it `nonce="{{ request.csp_nonce }}"` (the Swagger UI
# page, templates/drf_spectacular/). Bootstrap's CSS draws some icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# One cache for all processes when CACHE_URL names Redis: API throttles and failed API-key counts
# then hold across gunicorn workers; else each process has its own (development, tests).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"CACHE_URL must be a redis://, rediss:// or unix:// URL, not {CACHE_URL!r}")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# A 403 is logged as one line (method, path, person, status), without the PermissionDenied's traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_as_one_line": {"()": "helpdesk.log_filters.ForbiddenAsOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["forbidden_as_one_line"]},
    },
}

# Tags on tickets (django-taggit): "VPN" and "vpn" are one tag.
TAGGIT_CASE_INSENSITIVE = True
