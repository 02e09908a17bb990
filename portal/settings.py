"""The one settings module. Every environment differs only in its variables.

Outside DEBUG a missing or weak value stops the process at import (see ``_require``);
development defaults (SQLite, in-process tasks, console email) apply only while DEBUG is on.
The README lists every variable.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    """A string from the environment; ``<NAME>_FILE`` (a path) wins when it is set."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be true, false, 1 or 0, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env_str(name, default) or "").split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Variables production must set; docker-compose.yml is tested against this list.
REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
    "SIGNATURE_SEAL_KEY",
    "ADMIN_URL_PATH",
)


def _require(name: str, value, *, min_length: int = 1):
    if not DEBUG and (value is None or len(str(value)) < min_length):
        raise ImproperlyConfigured(
            f"{name} must be set (at least {min_length} characters) when DEBUG is off"
        )
    return value


def _dev_secret(filename: str) -> str:
    """Generate a random secret once into a git-ignored file (development only)."""
    path = BASE_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("SECRET_KEY") or (_dev_secret(".dev-secret-key") if DEBUG else None)
_require("SECRET_KEY", SECRET_KEY, min_length=50)
# Seals e-signature evidence rows (HMAC); deliberately separate from SECRET_KEY.
SIGNATURE_SEAL_KEY = env_str("SIGNATURE_SEAL_KEY") or (
    _dev_secret(".dev-seal-key") if DEBUG else None
)
_require("SIGNATURE_SEAL_KEY", SIGNATURE_SEAL_KEY, min_length=32)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
_require("ALLOWED_HOSTS", ALLOWED_HOSTS or None)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if not DEBUG and not CSRF_TRUSTED_ORIGINS:
    _require("CSRF_TRUSTED_ORIGINS", None)

ADMIN_URL_PATH = env_str("ADMIN_URL_PATH", "staff-admin/" if DEBUG else None)
_require("ADMIN_URL_PATH", ADMIN_URL_PATH)
if ADMIN_URL_PATH and (ADMIN_URL_PATH.strip("/") == "admin" or not ADMIN_URL_PATH.endswith("/")):
    raise ImproperlyConfigured("ADMIN_URL_PATH must end with '/' and must not be 'admin/'")

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "accounts",
    "representatives",
    "clients",
    "applications",
    "forms_imm",
    "support",
    "retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (they explain why a session ended); before any view runs.
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.MfaEnrolmentMiddleware",
    "clients.middleware.ClientPasswordRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.SecurityHeadersMiddleware",
    "accounts.middleware.PreferredLanguageMiddleware",
    "accounts.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "accounts.context_processors.portal",
            ],
        },
    }
]

# Database: SQLite only in development; tests and production use PostgreSQL.
_database_url = env_str("DATABASE_URL") or (
    f"sqlite:///{BASE_DIR / 'db.sqlite3'}" if DEBUG else None
)
_require("DATABASE_URL", _database_url)
DATABASES = {
    "default": dj_database_url.parse(_database_url, conn_max_age=600, conn_health_checks=True)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Sessions and the default cache (which holds allauth's rate-limit counters) live in the
# database, so a Redis outage can neither break sign-in nor switch rate limiting off.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    },
}
REDIS_CACHE_URL = env_str("REDIS_CACHE_URL")
if REDIS_CACHE_URL:
    # Disposable caches only: short timeouts, errors count as misses.
    CACHES["redis"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_CACHE_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
else:
    CACHES["redis"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Django's 20,000 common passwords plus a larger bundled list (accounts/data/README.md).
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.ContextWordsValidator"},
]

# Internationalisation: English and French, every portal URL has both addresses.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "America/Toronto"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media"))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Private files never get a public URL; they are served only through access-checked views.
# This prefix is never routed (the test live server would otherwise treat every path as media).
MEDIA_URL = "/private-files-are-never-served-directly/"
if env_str("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Uploads: IRCC's limit is 4 MB per file.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 4_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
# The upload pipeline (applications/uploads.py); slots narrow the allow-list further.
UPLOAD_ALLOWED_KINDS = env_list("UPLOAD_ALLOWED_KINDS", "pdf,jpeg,png,doc,docx")
UPLOAD_PDF_MAX_PAGES = env_int("UPLOAD_PDF_MAX_PAGES", 500)
UPLOAD_NAME_MAX_CHARS = env_int("UPLOAD_NAME_MAX_CHARS", 100)
UPLOAD_DOCX_MAX_UNCOMPRESSED = env_int("UPLOAD_DOCX_MAX_UNCOMPRESSED", 50_000_000)
UPLOAD_DOCX_MAX_ENTRIES = env_int("UPLOAD_DOCX_MAX_ENTRIES", 1000)
UPLOAD_DOCX_MAX_RATIO = env_int("UPLOAD_DOCX_MAX_RATIO", 100)

# Email: console in development; SMTP otherwise. Every email goes through the outbox.
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "PR Portal <no-reply@localhost>" if DEBUG else None
)
_require("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    _require("EMAIL_HOST", None)

# Celery: with no broker configured (make run), tasks run in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
if not CELERY_BROKER_URL and not DEBUG:
    _require("CELERY_BROKER_URL", None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"*_package_render_task": {"queue": "pdf"}, "*_pdf_task": {"queue": "pdf"}}
# A request never waits on Redis: connect and publish fail fast; the outbox sweeper retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    # A Redis that accepts connections but hangs costs a publish this long (it was 2 s: a
    # request took 2.2 s). The worker's BRPOP runs in the event loop, which this does not bound.
    "socket_timeout": 1,
    # kombu otherwise retries the first connection for broker_connection_timeout with 2 s
    # sleeps (a request took 2.2 s with Redis down); one attempt, then the sweeper's turn.
    "max_retries": 0,
    # Longer than the longest task or countdown, so a slow task is not delivered twice.
    "visibility_timeout": 2 * 60 * 60,
}
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# django-allauth: email is the login; sign-up and MFA policy live in accounts/adapters.py.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Changing the password keeps this session and ends every other one: Django refuses sessions
# whose password hash is stale, and accounts/auth_audit.py also deletes them on the server.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/15m/key"}
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_GET = False  # sign-out is a POST (STYLE.md §4)
ACCOUNT_LOGOUT_REDIRECT_URL = "accounts:home"  # the home page in the language in use
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "PR Portal"
# Accept the code of the neighbouring 30-second period: clocks drift, and a code typed as the
# period rolls over is still the person's own (RFC 6238 §5.2 recommends one step).
MFA_TOTP_TOLERANCE = 1
USERSESSIONS_TRACK_ACTIVITY = True
# Changing an email: the new address takes effect only once confirmed (issue 9 item 5).
ACCOUNT_CHANGE_EMAIL = True
# ...which, for accounts with MFA (every representative), needs the pending address to exist
# unverified. allauth forbids it by default so that someone cannot sign up without verifying
# and then lock the owner out with MFA; here nobody signs in before verifying (mandatory
# verification), so that attack does not apply.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# "Sign out of the other sessions" writes audit rows (accounts/adapters.py).
USERSESSIONS_ADAPTER = "accounts.adapters.UserSessionsAdapter"
# Security keys and passkeys are a second factor beside the authenticator app, never instead
# of the password.
MFA_PASSKEY_LOGIN_ENABLED = False
# The technical-issue web form (support/ratelimit.py): requests per hour.
SUPPORT_FORM_LIMIT_PER_IP = env_int("SUPPORT_FORM_LIMIT_PER_IP", 10)
SUPPORT_FORM_LIMIT_PER_EMAIL = env_int("SUPPORT_FORM_LIMIT_PER_EMAIL", 5)
LOGIN_REDIRECT_URL = "accounts:home"
LOGIN_URL = "account_login"
# Development only: demo accounts may skip MFA enrolment (a banner says so). A deploy check
# fails if this is on while DEBUG is off.
DEMO_MFA_SKIP = env_bool("DEMO_MFA_SKIP", DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions: idle 25 min, warning at 20; absolute 12 h (staff, representatives), 2 h (clients).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 25 * 60)
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 20 * 60)
SESSION_ABSOLUTE_SECONDS_STAFF = env_int("SESSION_ABSOLUTE_SECONDS_STAFF", 12 * 60 * 60)
SESSION_ABSOLUTE_SECONDS_CLIENT = env_int("SESSION_ABSOLUTE_SECONDS_CLIENT", 2 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS_STAFF
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Security headers and cookies (check --deploy must report nothing).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_NAME = env_str(
    "SESSION_COOKIE_NAME", "__Host-sessionid" if not DEBUG else "sessionid"
)
CSRF_COOKIE_NAME = env_str("CSRF_COOKIE_NAME", "__Host-csrftoken" if not DEBUG else "csrftoken")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if ALLAUTH_TRUSTED_PROXY_COUNT:
    # Only behind our own TLS-terminating proxy (docker-compose.yml).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "accounts.logging.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry paths and query strings; our own middleware logs route names.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

# Client invitations (QUALITY.md §2): the temporary password's lifetime, resends per client per
# 24 hours, and how far ahead the task list warns that a child turns 18 before submission.
CLIENT_TEMPORARY_PASSWORD_HOURS = env_int("CLIENT_TEMPORARY_PASSWORD_HOURS", 72)
CLIENT_TEMPORARY_PASSWORD_RESENDS_PER_DAY = env_int("CLIENT_TEMPORARY_PASSWORD_RESENDS_PER_DAY", 5)
# Correction requests a client may send per application in 24 hours (clients.services).
CLIENT_CORRECTION_REQUESTS_PER_DAY = env_int("CLIENT_CORRECTION_REQUESTS_PER_DAY", 5)
APPLICATION_TURNS_ADULT_WARNING_DAYS = env_int("APPLICATION_TURNS_ADULT_WARNING_DAYS", 180)
# Abandoned drafts (retention.services): removed after this many days without a change, the
# representative being warned at least this many days before (docs/operations.md).
DRAFT_RETENTION_DAYS = env_int("DRAFT_RETENTION_DAYS", 180)
DRAFT_RETENTION_WARNING_DAYS = env_int("DRAFT_RETENTION_WARNING_DAYS", 30)
# Routes bench/ views (the trivial baseline of `make bench`); never set in production.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", False)
