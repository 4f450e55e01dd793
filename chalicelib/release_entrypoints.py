"""The release engine's handlers: raw event -> typed value -> one service call (app.py wires them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.bootstrap import container
from chalicelib.domain.events import model_package_ref
from chalicelib.domain.model_version import APPROVED, REJECTED
from chalicelib.domain.release_events import endpoint_name, firing_alarm
from chalicelib.errors import MalformedEventError, ModelPackageNotFoundError
from chalicelib.observability import count, logger


def on_model_package_decided(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.services.release import on_approved, on_rejected

    ref = _parsed(event, lambda detail: model_package_ref(detail))
    logger.append_keys(model_package_arn=ref.arn, model_package_group=ref.group)
    if ref.status not in (APPROVED, REJECTED):  # the deployed rule filters; the test client does not
        return {"arn": ref.arn, "skipped": f"status {ref.status} is not the release engine's"}
    try:
        if ref.status == APPROVED:
            return on_approved(ref.arn, container().release_deps)
        return on_rejected(ref.arn, container().release_deps)
    except ModelPackageNotFoundError as error:  # deleted since: nothing to release or stop
        return {"arn": ref.arn, "skipped": str(error)}


def on_endpoint_state_change(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.services.release_events import on_endpoint_change

    name = _parsed(event, endpoint_name)
    logger.append_keys(endpoint=name)
    return on_endpoint_change(name, container().release_deps)


def on_alarm_state_change(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.services.release_events import on_alarm

    alarm = _parsed(event, firing_alarm)
    if alarm is None:
        return {"skipped": "the alarm is not in ALARM"}
    return on_alarm(alarm, container().release_deps)


def on_reconcile_schedule(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.services.reconcile import reconcile

    return reconcile(container().release_deps)


def _parsed(event: dict[str, Any], parse: Callable[[Any], Any]) -> Any:
    try:
        return parse(event.get("detail"))
    except MalformedEventError as error:
        # Raised, not swallowed: after its retries the event lands in the dead-letter queue, kept.
        logger.error("malformed event", extra={"event_id": event.get("id"), "error": str(error)})
        count("MalformedEvent")
        raise
