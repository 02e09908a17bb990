"""Settings for the Celery workers the failure tests start (tests/reliability/harness.py).

The test passes, in the environment: DATABASE_URL (its test database), CELERY_BROKER_URL (its
own Redis), PRIVATE_MEDIA_ROOT (its file folder), and SMTP_SINK_PORT (its SMTP sink).
Tests that travel in time use the in-process worker instead (harness.in_process_worker).
"""

import os

from portal.settings_test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["SMTP_SINK_PORT"])
EMAIL_USE_TLS = False
EMAIL_TIMEOUT = 30
