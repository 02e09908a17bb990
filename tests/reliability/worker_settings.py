"""Settings for the Celery workers the failure tests start (tests/reliability/harness.py).

The test passes, in the environment: DATABASE_URL (its test database), CELERY_BROKER_URL (its
own Redis), PRIVATE_MEDIA_ROOT (its file folder), SMTP_SINK_PORT (its SMTP sink) and
WORKER_CLOCK_OFFSET (seconds: the worker's clock runs that far ahead, matching a test that
travelled in time with time_machine).
"""

import os
from datetime import UTC, datetime, timedelta

import time_machine

from portal.settings_test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["SMTP_SINK_PORT"])
EMAIL_USE_TLS = False
EMAIL_TIMEOUT = 30

_offset = float(os.environ.get("WORKER_CLOCK_OFFSET") or 0)
if _offset:
    time_machine.travel(datetime.now(UTC) + timedelta(seconds=_offset), tick=True).start()
