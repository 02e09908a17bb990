"""Test settings: seed test-only environment values, import the real settings, speed them up."""

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

# Each checkout gets its own database and Redis keys, so parallel work trees never collide.
_tree = hashlib.sha256(str(Path(__file__).resolve().parent.parent).encode()).hexdigest()[:8]
os.environ.setdefault("DEBUG", "false")
os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)
os.environ.setdefault("SIGNATURE_SEAL_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("CSRF_TRUSTED_ORIGINS", "http://localhost,http://127.0.0.1")
os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/portal_{_tree}")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("EMAIL_HOST", "127.0.0.1")
os.environ.setdefault("DEFAULT_FROM_EMAIL", "PR Portal <no-reply@portal.test>")
os.environ.setdefault("ADMIN_URL_PATH", "staff-admin/")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SESSION_COOKIE_NAME", "sessionid")
os.environ.setdefault("CSRF_COOKIE_NAME", "csrftoken")
os.environ.setdefault(
    "PRIVATE_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / f"portal-test-media-{_tree}")
)

from .settings import *  # noqa: E402,F403
from .settings import INSTALLED_APPS  # noqa: E402

TEST_TREE_ID = _tree
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]
MIDDLEWARE = [*MIDDLEWARE, "zeal.middleware.zeal_middleware"]  # noqa: F405
ZEAL_RAISE = True
ZEAL_ALLOWLIST = [
    {"model": "sessions.Session"},
    # allauth's email confirmation reads the address twice (allauth code, not ours).
    {"model": "account.EmailAddress", "field": "get()"},
    # ...and, confirming a changed email, reads each old address's user to remove it.
    {"model": "account.EmailAddress", "field": "user"},
    # One idempotency lookup per email queued: a request that sends two emails is not an N+1.
    {"model": "accounts.OutboxEmail", "field": "get()"},
]
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The browser journeys run over plain HTTP on localhost; WebAuthn's origin check needs this.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
