"""A task the integration test loads into a real worker: it records that it ran, in Redis."""

import redis
from celery import shared_task
from django.conf import settings


@shared_task(ignore_result=True)
def probe_task(key: str) -> None:
    redis.Redis.from_url(settings.CELERY_BROKER_URL).set(key, "ran", ex=600)
