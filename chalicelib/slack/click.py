"""A Slack button click (a ``block_actions`` payload) as a typed value, and what it asks for.

The button value is only a lookup key: whatever it names is re-read before anything is changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from chalicelib.release.pause_messages import CONTINUE_ACTION, PAUSED_ROLLBACK_ACTION
from chalicelib.shared import bounded_json
from chalicelib.shared.errors import MalformedActionError
from chalicelib.shared.model_version import APPROVED, REJECTED, version_from_arn
from chalicelib.slack.payload import MAX_BODY_BYTES, MAX_PAYLOAD_DEPTH, mapping, read_payload, text, who

APPROVE_ACTION = "shepherd_approve"  # the gate's review buttons (gate_messages uses the same ids)
REJECT_ACTION = "shepherd_reject"
REGATE_ACTION = "shepherd_regate"  # the review's Decide again: the gate looks at the version once more
ROLLBACK_ACTION = "shepherd_rollback"  # the release notifications' button
RETRY_ACTION = "shepherd_retry"  # a FAILED release's notification
PROMOTE_ACTION = "shepherd_promote"  # a release awaiting promotion (manual promotion)
STOP_ACTION = "shepherd_stop"
DECISIONS = {APPROVE_ACTION: APPROVED, REJECT_ACTION: REJECTED}


@dataclass(frozen=True)
class Click:
    action_id: str
    value: str
    user_id: str
    user_name: str
    team_id: str
    app_id: str
    response_url: str
    message: Mapping[str, Any] | None = None  # the message holding the button, as Slack sent it
    channel_id: str = ""
    trigger_id: str = ""  # lets the app open a modal in answer, for 3 s

    @property
    def actor(self) -> str:
        return f"{self.user_name} ({self.user_id})"

    @property
    def message_ts(self) -> str:
        return str((self.message or {}).get("ts", ""))


@dataclass(frozen=True)
class Decide:
    arn: str
    group: str
    status: str  # Approved or Rejected


@dataclass(frozen=True)
class Regate:
    arn: str
    group: str


@dataclass(frozen=True)
class Rollback:
    group: str
    to_version: int | None  # None: the previous good version


@dataclass(frozen=True)
class Retry:
    group: str
    version: int


@dataclass(frozen=True)
class Promotion:
    group: str
    version: int
    promote: bool  # False: Stop


@dataclass(frozen=True)
class Paused:
    """Continue, or Roll back, the PAUSED release of `version` (its message's buttons)."""

    group: str
    version: int
    go_on: bool  # False: Roll back


Request = Decide | Regate | Rollback | Retry | Promotion | Paused


def parse_click(body: bytes) -> Click | None:
    """The click in a form-encoded interactivity body; None for payloads that are not button clicks."""
    return click_from(read_payload(body))


def click_from(payload: Mapping[str, Any]) -> Click | None:
    if payload.get("type") != "block_actions":
        return None
    actions = payload.get("actions")
    if not isinstance(actions, list) or len(actions) != 1 or not isinstance(actions[0], Mapping):
        raise MalformedActionError("a block_actions payload carries exactly one action")
    action, person = actions[0], who(payload)
    message = payload.get("message")
    return Click(
        action_id=text(action, "action_id"),
        value=str(action.get("value", "")),
        user_id=person.user_id,
        user_name=person.user_name,
        team_id=person.team_id,
        app_id=str(payload.get("api_app_id", "")),
        response_url=text(payload, "response_url"),
        message=message if isinstance(message, Mapping) else None,
        channel_id=str(mapping(payload, "channel", required=False).get("id", "")),
        trigger_id=str(payload.get("trigger_id", "")),
    )


def requested(click: Click) -> Request | None:
    """What the click asks for; None for buttons that are not ours (a safe no-op)."""
    if click.action_id in DECISIONS:
        return Decide(click.value, _group_of(click.value), DECISIONS[click.action_id])
    if click.action_id == REGATE_ACTION:
        return Regate(click.value, _group_of(click.value))
    if click.action_id == ROLLBACK_ACTION:
        return _rollback(click.value)
    if click.action_id == RETRY_ACTION:
        return _retry(click.value)
    if click.action_id in (PROMOTE_ACTION, STOP_ACTION):
        group, version = _group_and_version(click.value, "promotion", "version")
        if not _is_version(version):
            raise MalformedActionError("the promotion button's version is not a version number")
        return Promotion(group, version, click.action_id == PROMOTE_ACTION)
    if click.action_id in (CONTINUE_ACTION, PAUSED_ROLLBACK_ACTION):
        group, version = _group_and_version(click.value, "paused release", "version")
        if not _is_version(version):
            raise MalformedActionError("the paused release button's version is not a version number")
        return Paused(group, version, click.action_id == CONTINUE_ACTION)
    return None


def _group_of(arn: str) -> str:
    try:
        return version_from_arn(arn)[0]
    except ValueError as error:
        raise MalformedActionError(str(error)) from None


def _rollback(value: str) -> Rollback:
    group, version = _group_and_version(value, "rollback", "to_version")
    if version is None:  # the previous good version
        return Rollback(group, None)
    if not _is_version(version):
        raise MalformedActionError("the rollback button's to_version is not a version number")
    return Rollback(group, version)


def _retry(value: str) -> Retry:
    group, version = _group_and_version(value, "retry", "version")
    if not _is_version(version):
        raise MalformedActionError("the retry button's version is not a version number")
    return Retry(group, version)


def _group_and_version(value: str, button: str, version_key: str) -> tuple[str, object]:
    """A button's JSON value, read within the payload's bounds: its group (required) and its version field."""
    try:
        spec = bounded_json.loads(value, MAX_BODY_BYTES, MAX_PAYLOAD_DEPTH)
    except bounded_json.JsonLimitError as error:
        raise MalformedActionError(f"the {button} button value: {error}") from None
    except ValueError:
        raise MalformedActionError(f"the {button} button value is not JSON") from None
    group, version = (spec.get("group"), spec.get(version_key)) if isinstance(spec, Mapping) else (None, None)
    if not isinstance(group, str) or not group:
        raise MalformedActionError(f"the {button} button names no group")
    return group, version


def _is_version(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1
