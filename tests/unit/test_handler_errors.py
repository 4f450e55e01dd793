"""The one map from the app's errors to what a handler answers."""

from __future__ import annotations

import pytest

from chalicelib.handlers import error_answer, http_status
from chalicelib.shared.errors import (
    ConfigurationError,
    ConflictError,
    InvalidSignatureError,
    MalformedActionError,
    MalformedEventError,
    ModelPackageNotFoundError,
    ProductionBusyError,
    ShepherdError,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidSignatureError("stale timestamp"), 401),
        (MalformedActionError("payload is not JSON"), 400),
        (ConfigurationError("SHEPHERD_SLACK_SECRET is not set"), 503),
        (MalformedEventError("no detail"), 400),
        (ModelPackageNotFoundError("gone"), 404),
    ],
)
def test_each_error_has_its_http_status(error: ShepherdError, status: int) -> None:
    assert http_status(error) == status


def test_an_error_without_an_answer_of_its_own_is_a_server_error() -> None:
    assert http_status(ConflictError("changed first")) == 500
    assert http_status(ProductionBusyError("Updating")) == 500


def test_only_a_version_deleted_since_the_event_is_skipped_by_an_event_handler() -> None:
    assert error_answer(ModelPackageNotFoundError("gone")).skips_event
    assert not error_answer(MalformedEventError("no detail")).skips_event  # raised: dead-lettered, kept
    assert not error_answer(ProductionBusyError("Updating")).skips_event  # raised: retried later
    assert not error_answer(RuntimeError("throttled")).skips_event
