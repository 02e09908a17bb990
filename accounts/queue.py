"""Publishing tasks: only after commit, one quick attempt, never making a request wait on Redis.

Work that matters always has a database row saying it is pending (an outbox row, a package
status), so a publish that fails here is picked up again by a periodic sweeper.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def publish_after_commit(task, *args, queue: str | None = None, **kwargs) -> None:
    def publish():
        try:
            task.apply_async(args=args, kwargs=kwargs, queue=queue, retry=False)
        except (OperationalError, ConnectionError, TimeoutError, OSError):
            logger.warning(
                "task publish failed; the sweeper will retry", extra={"route": task.name}
            )

    transaction.on_commit(publish)
