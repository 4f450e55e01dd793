"""What each Chalice handler does with its raw input: parse it, call one use case, return the result.

app.py only wires decorators to these; raw dicts stop here. Every event handler has one shape:
`_parsed` turns the event's detail into a typed value (or logs, counts and re-raises, so the event
lands in the dead-letter queue, kept), then one use case runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from chalicelib.bootstrap import container
from chalicelib.shared.errors import MalformedEventError, ModelPackageNotFoundError
from chalicelib.shared.events import model_package_ref
from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED
from chalicelib.shared.observability import count, logger

T = TypeVar("T")


def on_model_package_pending(event: dict[str, Any], context: Any) -> dict[str, Any]:
    ref = _parsed(event, model_package_ref)
    logger.append_keys(model_package_arn=ref.arn, model_package_group=ref.group)
    if ref.status != PENDING:  # the deployed rule filters; Chalice's test client and replays do not
        return {"arn": ref.arn, "outcome": None, "skipped": f"status {ref.status} is not the gate's"}
    return container().decide_pending_once(ref.arn, ref.status, context)


def on_model_package_decided(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.release.service import on_approved, on_rejected

    ref = _parsed(event, model_package_ref)
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
    from chalicelib.release.events import endpoint_name
    from chalicelib.release.reactions import on_endpoint_change

    name = _parsed(event, endpoint_name)
    logger.append_keys(endpoint=name)
    return on_endpoint_change(name, container().release_deps)


def on_alarm_state_change(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.release.events import firing_alarm
    from chalicelib.release.reactions import on_alarm

    alarm = _parsed(event, firing_alarm)
    if alarm is None:
        return {"skipped": "the alarm is not in ALARM"}
    return on_alarm(alarm, container().release_deps)


def on_reconcile_schedule(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.release.reconcile import reconcile

    return reconcile(container().release_deps)


def on_cleanup_schedule(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The scheduled retention sweep over every group with a policy; the event carries nothing we need."""
    logger.info("cleanup run", extra={"event_id": _event_id(event)})
    reports = container().run_cleanup(context)
    return {"groups": [report.as_dict() for report in reports]}


def on_slack_action(raw_body: Any, headers: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    """POST /slack/actions: (status, JSON body). Headers are matched case-insensitively."""
    from chalicelib.slack.service import handle_action

    lowered = {name.lower(): value for name, value in headers.items()}
    body = raw_body.encode() if isinstance(raw_body, str) else bytes(raw_body or b"")
    answer = handle_action(body, lowered, container().slack_actions_deps)
    return answer.status, dict(answer.body)


def _parsed(event: dict[str, Any], parse: Callable[[Any], T]) -> T:
    try:
        return parse(event.get("detail"))
    except MalformedEventError as error:
        # Raised, not swallowed: after its retries the event lands in the dead-letter queue, kept.
        logger.error("malformed event", extra={"event_id": _event_id(event), "error": str(error)})
        count("MalformedEvent")
        raise


def _event_id(event: dict[str, Any]) -> str | None:
    """The envelope's id for the logs, if it is one: a malformed event's id may be anything, of any size."""
    found = event.get("id")
    return found[:100] if isinstance(found, str) else None
