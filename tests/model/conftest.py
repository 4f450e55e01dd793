"""The model runs thousands of use cases: their logs and metrics would only slow it down."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from chalicelib.shared.observability import logger, metrics


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    level = logger.log_level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)
    metrics.clear_metrics()
