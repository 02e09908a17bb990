"""The production-like environment the benchmark runs under (DEBUG off, PostgreSQL, gunicorn).

Only local services: PostgreSQL on 127.0.0.1 and Redis on 127.0.0.1. Its own database,
``portal_bench`` unless ``BENCH_DATABASE_URL`` says otherwise. Secrets are random per run.
"""

import os
import secrets
from urllib.parse import urlsplit

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
)
DATABASE_NAME = urlsplit(DATABASE_URL).path.lstrip("/")
ADMIN_URL = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
_SECRET = secrets.token_urlsafe(64)
_SEAL = secrets.token_urlsafe(48)


def variables() -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": _SECRET,
        "SIGNATURE_SEAL_KEY": _SEAL,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": "http://127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
        "EMAIL_HOST": "127.0.0.1",
        "DEFAULT_FROM_EMAIL": "PR Portal <no-reply@bench.test>",
        "ADMIN_URL_PATH": "staff-bench/",
        # Plain HTTP on loopback: no TLS redirect, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SESSION_COOKIE_NAME": "sessionid",
        "CSRF_COOKIE_NAME": "csrftoken",
        "SECURE_HSTS_SECONDS": "0",
        "BENCH_ENDPOINTS": "1",
        "LOG_LEVEL": "WARNING",
    }


def apply() -> None:
    os.environ.update(variables())
