"""Loaded into a test worker with ``--include``: makes the package write stall half way.

The real ``applications.package`` code runs unchanged; only the file object it writes the PDF
to is wrapped, so that after half the bytes are on disk it touches the file named by
SLOW_RENDER_MARKER (the test's cue to SIGKILL the worker) and sleeps. Nothing here is imported
by the portal itself.
"""

import os
import time
import types
from pathlib import Path

from applications import package

MARKER = os.environ.get("SLOW_RENDER_MARKER")


class _StallingFile:
    def __init__(self, handle):
        self._handle = handle

    def write(self, content: bytes) -> int:
        half = len(content) // 2
        self._handle.write(content[:half])
        self._handle.flush()
        os.fsync(self._handle.fileno())
        Path(MARKER).write_text(str(os.getpid()))
        time.sleep(600)  # the test kills the worker long before this ends
        return half + self._handle.write(content[half:])

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


if MARKER:
    stalling_os = types.SimpleNamespace(**{name: getattr(os, name) for name in dir(os)})
    stalling_os.fdopen = lambda *args, **kwargs: _StallingFile(os.fdopen(*args, **kwargs))
    package.os = stalling_os
