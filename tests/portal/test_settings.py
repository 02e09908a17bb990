"""The settings module fails loudly, and production settings pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import REQUIRED_IN_PRODUCTION, env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 30 + "-production-like-secret-key-for-tests-only",
    "SIGNATURE_SEAL_KEY": "s" * 48,
    "ALLOWED_HOSTS": "portal.example.ca",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.ca",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
    "EMAIL_HOST": "mail.example.ca",
    "DEFAULT_FROM_EMAIL": "PR Portal <no-reply@portal.example.ca>",
    "ADMIN_URL_PATH": "staff-desk/",
}


# Set by portal/settings_test.py in this process; a production-like run must not inherit them.
TEST_ONLY_VARIABLES = (
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "PRIVATE_MEDIA_ROOT",
    "DEMO_MFA_SKIP",
)


def run_manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    for name in (*REQUIRED_IN_PRODUCTION, *TEST_ONLY_VARIABLES):
        base.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_bool_refuses_anything_but_true_false_1_0(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG", False)
    monkeypatch.setenv("SOME_FLAG", "0")
    assert env_bool("SOME_FLAG", True) is False


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "four")
    with pytest.raises(ImproperlyConfigured):
        env_int("SOME_NUMBER", 1)


def test_check_deploy_with_production_variables_reports_nothing():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without_each_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_a_short_secret_key_is_refused():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_deploy_check_fails_when_the_demo_mfa_skip_is_on_in_production():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "DEMO_MFA_SKIP": "1"}
    )
    assert result.returncode != 0
    assert "portal.E001" in result.stderr + result.stdout
