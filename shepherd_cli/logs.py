"""The app's Powertools output during a CLI run: stdout is the command's answer, never a log line.

The Lambda functions log JSON to stdout (CloudWatch reads it there) and print metrics in EMF the same way;
a person at a terminal wants neither in a table, and a script's `json.loads(stdout)` must not see them. So
a run prints no log line unless asked (`--verbose`), and then on stderr; metrics are never printed.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib.shared.observability import logger

METRICS_DISABLED = "POWERTOOLS_METRICS_DISABLED"


@contextmanager
def quiet_logs(verbose: bool) -> Iterator[None]:
    handler = logger.registered_handler
    stream = handler.stream if isinstance(handler, logging.StreamHandler) else None
    before = logger._logger.disabled, os.environ.get(METRICS_DISABLED)
    if isinstance(handler, logging.StreamHandler):
        handler.setStream(sys.stderr)  # sys.stderr as it is now (a test's capture, a redirect)
    logger._logger.disabled = not verbose
    os.environ[METRICS_DISABLED] = "true"
    try:
        yield
    finally:
        logger._logger.disabled = before[0]
        if isinstance(handler, logging.StreamHandler) and stream is not None:
            handler.setStream(stream)
        if before[1] is None:
            os.environ.pop(METRICS_DISABLED, None)
        else:
            os.environ[METRICS_DISABLED] = before[1]
