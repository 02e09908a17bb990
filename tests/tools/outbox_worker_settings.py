"""Settings for the Celery worker the broker-outage test starts: real broker, emails to files.

The test passes DATABASE_URL (its test database), CELERY_BROKER_URL (its own Redis) and
OUTBOX_TEST_MAIL_DIR in the environment.
"""

import os

from portal.settings_test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["OUTBOX_TEST_MAIL_DIR"]
