"""A task the integration tests load into a real worker: it records that it ran, in Redis
(the broker the worker consumes, which is the test's own Redis in tests/reliability)."""

import redis
from celery import shared_task


@shared_task(bind=True, ignore_result=True)
def probe_task(self, key: str) -> None:
    redis.Redis.from_url(self.app.conf.broker_url).set(key, "ran", ex=600)
