"""What each Chalice handler does with its raw input: parse it, call one use case, return the result.

app.py only wires decorators to these; raw dicts stop here. Every event handler has one shape:
`_parsed` turns the event's detail into a typed value (or logs, counts and re-raises, so the event
lands in the dead-letter queue, kept), then one use case runs. `ERROR_ANSWERS` is the one map from
the app's errors to what a handler answers, HTTP status codes included.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from chalicelib.bootstrap import container
from chalicelib.shared.errors import (
    ConfigurationError,
    InvalidSignatureError,
    MalformedActionError,
    MalformedEventError,
    ModelPackageNotFoundError,
    ShepherdError,
)
from chalicelib.shared.events import model_package_ref
from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED
from chalicelib.shared.observability import count, logger

T = TypeVar("T")


@dataclass(frozen=True)
class ErrorAnswer:
    http_status: int  # what an HTTP route answers
    # What the route says: never the body, the headers or anything derived from a secret.
    # None: the error's own words (they describe the payload's shape, nothing more).
    message: str | None = None
    # An event handler returns "skipped" (nothing is left to do) or raises: the event is retried, then
    # kept in the dead-letter queue.
    skips_event: bool = False


ERROR_ANSWERS: Mapping[type[ShepherdError], ErrorAnswer] = {  # the first match wins: a subclass before its base
    MalformedEventError: ErrorAnswer(400),
    MalformedActionError: ErrorAnswer(400),  # signed by Slack, but not a click we can read
    InvalidSignatureError: ErrorAnswer(401, "invalid or missing Slack signature"),
    ModelPackageNotFoundError: ErrorAnswer(404, skips_event=True),  # deleted since the event
    # e.g. no Slack secret: the route is not set up, and says so
    ConfigurationError: ErrorAnswer(503, "model-shepherd is not configured for Slack"),
}
UNMAPPED = ErrorAnswer(500)


def error_answer(error: Exception) -> ErrorAnswer:
    return next((answer for kind, answer in ERROR_ANSWERS.items() if isinstance(error, kind)), UNMAPPED)


def http_status(error: ShepherdError) -> int:
    return error_answer(error).http_status


def on_model_package_pending(event: dict[str, Any], context: Any) -> dict[str, Any]:
    ref = _parsed(event, model_package_ref)
    logger.append_keys(model_package_arn=ref.arn, model_package_group=ref.group)
    if ref.status != PENDING:  # the deployed rule filters; Chalice's test client and replays do not
        return {"arn": ref.arn, "outcome": None, "skipped": f"status {ref.status} is not the gate's"}
    return container().gate_once.decide(ref.arn, ref.status, context).as_dict()


def on_model_package_decided(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.release.rejection import on_rejected
    from chalicelib.release.service import on_approved
    from chalicelib.review.stored import forget_decided

    ref = _parsed(event, model_package_ref)
    logger.append_keys(model_package_arn=ref.arn, model_package_group=ref.group)
    if ref.status not in (APPROVED, REJECTED):  # the deployed rule filters; the test client does not
        return {"arn": ref.arn, "skipped": f"status {ref.status} is not the release engine's"}
    try:
        deps = container().release_deps
        result = (on_approved if ref.status == APPROVED else on_rejected)(ref.arn, deps).as_dict()
        forget_decided(deps.store, ref.group, ref.arn)
        return result
    except ShepherdError as error:
        if not error_answer(error).skips_event:
            raise
        return {"arn": ref.arn, "skipped": str(error)}


def on_endpoint_state_change(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.release.events import endpoint_name
    from chalicelib.release.forwarding import heard_from
    from chalicelib.release.reactions import on_endpoint_change

    name = _parsed(event, endpoint_name)
    logger.append_keys(endpoint=name)
    deps = container().release_deps
    heard_from(event.get("account"), deps)
    return on_endpoint_change(name, deps).as_dict()


def on_transform_job_state_change(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.release.reactions import on_transform_job_change
    from chalicelib.release.transform_events import transform_job_change

    job = _parsed(event, transform_job_change)
    logger.append_keys(transform_job=job.name)
    if not job.finished:  # InProgress, Stopping: nothing to judge yet (the reconciler covers a lost final event)
        return {"transform job": job.name, "skipped": f"status {job.status}"}
    return on_transform_job_change(job.name, container().release_deps).as_dict()


def on_alarm_state_change(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.release.events import firing_alarm
    from chalicelib.release.reactions import on_alarm_firing

    alarm = _parsed(event, firing_alarm)
    if alarm is None:
        return {"skipped": "the alarm is not in ALARM"}
    return on_alarm_firing(alarm.name, container().release_deps, alarm.at).as_dict()


def on_reconcile_schedule(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from chalicelib.release.reconcile import reconcile

    parts = container()
    return reconcile(parts.release_deps, sweep=parts.sweep_deps, reviews=parts.review_deps).as_dict()


def on_cleanup_schedule(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The scheduled retention sweep over every group with a policy; the event carries nothing we need."""
    from chalicelib.cleanup.scheduled import run_in_time

    logger.info("cleanup run", extra={"event_id": _event_id(event)})
    reports = run_in_time(container().cleanup_deps, context)
    return {"groups": [report.as_dict() for report in reports]}


def on_slack_action(raw_body: Any, headers: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    """POST /slack/actions: (status, JSON body). Headers are matched case-insensitively."""
    from chalicelib.slack.service import handle_action

    lowered = {name.lower(): value for name, value in headers.items()}
    body = raw_body.encode() if isinstance(raw_body, str) else bytes(raw_body or b"")
    deps = container().slack_actions_deps  # outside the try: a broken composition is a 500, not a refusal
    try:
        result = handle_action(body, lowered, deps)
    except ShepherdError as error:
        answer = error_answer(error)
        if answer is UNMAPPED:
            raise  # Chalice answers 500; the error is logged
        return answer.http_status, {"error": answer.message or str(error)}
    # The click was read, whatever it did: Slack ignores a click's body (the clicker hears via response_url);
    # a modal's submission is answered in the body (close it, or show an error under the reason field).
    return 200, dict(result.response or {})


def on_slack_command(raw_body: Any, headers: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    """POST /slack/commands (/shepherd): (status, JSON body). A refusal is an ephemeral answer, not an error."""
    from chalicelib.slack.command_service import handle_command

    lowered = {name.lower(): value for name, value in headers.items()}
    body = raw_body.encode() if isinstance(raw_body, str) else bytes(raw_body or b"")
    deps = container().slack_command_deps
    try:
        return 200, handle_command(body, lowered, deps)
    except ShepherdError as error:
        answer = error_answer(error)
        if answer is UNMAPPED:
            raise
        return answer.http_status, {"error": answer.message or str(error)}


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
