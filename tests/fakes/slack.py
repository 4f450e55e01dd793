"""In-memory fakes of the Slack-approval ports, with the real ones' semantics."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from chalicelib.gate.result import GateResult
from chalicelib.gate.verdict import Outcome
from chalicelib.release.paused import Pause
from chalicelib.release.results import Awaiting, Progress, ReleaseResult, RolledBack
from chalicelib.release.state import Stage
from chalicelib.shared.errors import PauseRefusedError, PromotionRefusedError
from chalicelib.shared.model_version import PENDING, ModelVersion
from chalicelib.slack.approvals import Tally
from chalicelib.slack.claim import APPLIED, CLAIMED, STALE_AFTER_SECONDS, Claim

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # the signing secret in Slack's own documentation example
TEAM, APP = "T0TEAM", "A0APP"
GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/3"
NOW = datetime(2026, 11, 26, 20, 0, 0, tzinfo=UTC)


@dataclass
class FakeLocks:
    items: dict[str, Claim] = field(default_factory=dict)
    failing: dict[str, Exception] = field(default_factory=dict)  # method name -> the error it raises

    def claim(self, claim: Claim) -> Claim | None:
        self._maybe_fail("claim")
        held = self.items.get(claim.key)
        if held and not (held.state == CLAIMED and held.claimed_at < claim.claimed_at - STALE_AFTER_SECONDS):
            return held
        self.items[claim.key] = claim
        return None

    def confirm(self, claim: Claim) -> None:
        self._maybe_fail("confirm")
        assert self.items[claim.key].claim_id == claim.claim_id
        self.items[claim.key] = replace(claim, state=APPLIED)

    def release(self, claim: Claim) -> None:
        self._maybe_fail("release")
        if claim.key in self.items and self.items[claim.key].claim_id == claim.claim_id:
            del self.items[claim.key]

    def _maybe_fail(self, method: str) -> None:
        if method in self.failing:
            raise self.failing[method]


@dataclass
class FakeTallies:
    """The approvals tally with the DynamoDB adapter's conditions: one count per person, none past `required`."""

    items: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> user id -> label
    error: Exception | None = None

    def add(self, key: str, user_id: str, label: str, required: int, at: float) -> Tally:
        if self.error:
            raise self.error
        approvers = self.items.setdefault(key, {})
        counted = user_id not in approvers and len(approvers) < required
        if counted:
            approvers[user_id] = label
        return Tally(frozenset(approvers), frozenset(approvers.values()), counted)


@dataclass
class FakeUsers:
    """users.info: each user's profile e-mail; `error` makes every lookup fail (ratelimited, missing_scope)."""

    emails: dict[str, str] = field(default_factory=dict)
    error: Exception | None = None
    asked: list[str] = field(default_factory=list)

    def email(self, user_id: str) -> str | None:
        self.asked.append(user_id)
        if self.error:
            raise self.error
        return self.emails.get(user_id)


@dataclass
class FakeResponder:
    posts: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)
    fail: bool = False

    def respond(self, response_url: str, message: Mapping[str, Any]) -> None:
        if self.fail:
            raise ConnectionError("hooks.slack.com unreachable")
        self.posts.append((response_url, message))

    @property
    def texts(self) -> list[str]:
        return [str(message.get("text")) for _, message in self.posts]


@dataclass
class FakeUserGroups:
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def members(self, group_id: str) -> frozenset[str]:
        self.asked.append(group_id)
        if group_id not in self.groups:
            raise RuntimeError("no_such_subteam")
        return self.groups[group_id]


@dataclass
class FakeRollbacks:
    calls: list[tuple[str, int | None, str, str]] = field(default_factory=list)
    error: Exception | None = None

    def rollback(self, group: str, to_version: int | None, actor: str, reason: str) -> RolledBack:
        if self.error:
            raise self.error
        self.calls.append((group, to_version, actor, reason))
        return RolledBack(group, 3, to_version or 2, actor, reason, NOW)


@dataclass
class FakeRetries:
    calls: list[tuple[str, int, str, str]] = field(default_factory=list)
    error: Exception | None = None

    def retry(self, group: str, version: int, actor: str, reason: str) -> ReleaseResult:
        if self.error:
            raise self.error
        self.calls.append((group, version, actor, reason))
        return Progress(group, version, Stage.STAGING, "")


@dataclass
class FakeRegates:
    """The gate's second look: what it decides now is set by the test."""

    outcome: Outcome = Outcome.REVIEW
    reasons: tuple[str, ...] = ("auc 0.81 < 0.85",)
    calls: list[tuple[str, str, str]] = field(default_factory=list)  # arn, actor, reason
    error: Exception | None = None

    def regate(self, arn: str, actor: str, reason: str) -> GateResult:
        if self.error:
            raise self.error
        self.calls.append((arn, actor, reason))
        return GateResult(arn, self.outcome, applied=True, reasons=self.reasons)


@dataclass
class FakePromotions:
    calls: list[tuple[str, str, int | None, str, str]] = field(default_factory=list)  # verb, group, version, ...
    error: Exception | None = None
    candidate: str = ARN  # the package of the release awaiting promotion; "" when nothing awaits

    def awaiting(self, group: str, version: int) -> Awaiting:
        if not self.candidate:
            raise PromotionRefusedError(f"nothing in {group} awaits promotion")
        return Awaiting(group, version, self.candidate, NOW)

    def promote(self, group: str, version: int, actor: str, reason: str) -> ReleaseResult:
        return self._call("promote", group, version, actor, reason)

    def stop(self, group: str, version: int | None, actor: str, reason: str) -> ReleaseResult:
        return self._call("stop", group, version, actor, reason)

    def _call(self, verb: str, group: str, version: int | None, actor: str, reason: str) -> ReleaseResult:
        if self.error:
            raise self.error
        self.calls.append((verb, group, version, actor, reason))
        return Progress(group, version or 1, Stage.PRODUCTION if verb == "promote" else Stage.STOPPED, reason)


@dataclass
class FakePauses:
    """A paused release: `paused_version` is PAUSED (0: nothing is); Continue and Roll back end its pause."""

    paused_version: int = 3
    calls: list[tuple[str, str, int, str, str]] = field(default_factory=list)  # verb, group, version, actor, why
    error: Exception | None = None

    def paused(self, group: str, version: int) -> Pause:
        if self.paused_version != version:
            raise PauseRefusedError(f"nothing in {group} is PAUSED: its last release, {group} v{version}, is LIVE")
        return Pause(group, version, ARN.rsplit("/", 1)[0] + f"/{version}", NOW + timedelta(hours=1))

    def continue_paused(self, group: str, version: int, actor: str, reason: str) -> ReleaseResult:
        self._decide("continue", group, version, actor, reason)
        return Progress(group, version, Stage.PRODUCTION, reason)

    def roll_back(self, group: str, version: int, actor: str, reason: str) -> RolledBack:
        self._decide("roll_back", group, version, actor, reason)
        return RolledBack(group, version, version - 1, actor, reason, NOW)

    def _decide(self, verb: str, group: str, version: int, actor: str, reason: str) -> None:
        if self.error:
            raise self.error
        self.paused(group, version)
        self.calls.append((verb, group, version, actor, reason))
        self.paused_version = 0


@dataclass
class FakeViews:
    """views.open: records each modal opened; `error` makes it fail (an expired trigger_id, say)."""

    opened: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)
    error: Exception | None = None

    def open(self, trigger_id: str, view: Mapping[str, Any]) -> None:
        if self.error:
            raise self.error
        self.opened.append((trigger_id, view))


def submission_body(view: Mapping[str, Any], user: str = "U0JANE", reason: str | None = "looks wrong") -> bytes:
    """The view_submission Slack sends when `user` submits the modal `view` with `reason` typed in."""
    values = {} if reason is None else {"reason": {"reason_text": {"type": "plain_text_input", "value": reason}}}
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": APP,
        "trigger_id": "1.submit",
        "view": {
            "id": "V0MODAL",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "state": {"values": values},
        },
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def pending_version(arn: str = ARN, **changes: Any) -> ModelVersion:
    defaults: dict[str, Any] = {
        "arn": arn,
        "group": GROUP,
        "version": int(arn.rsplit("/", 1)[1]),
        "status": PENDING,
        "metadata": {"training_job": "fraud-xgb-3", "shepherd:outcome": "review"},
        "approval_description": "model-shepherd review: not clearly better: people decide",
    }
    return ModelVersion(**{**defaults, **changes})


def review_message(arn: str = ARN) -> dict[str, Any]:
    """The message holding the gate's buttons, as Slack echoes it back in a click."""
    return {
        "type": "message",
        "ts": "1700000000.000100",
        "text": "review",
        "channel": "C0REVIEW",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": f"{GROUP} v3: review"}},
            {
                "type": "actions",
                "block_id": "shepherd_decision",
                "elements": [
                    {"type": "button", "action_id": "shepherd_approve", "value": arn},
                    {"type": "button", "action_id": "shepherd_reject", "value": arn},
                    {"type": "button", "action_id": "shepherd_regate", "value": arn},
                ],
            },
        ],
    }


def click_body(
    action_id: str = "shepherd_approve", value: str = ARN, user: str = "U0JANE", extra: dict[str, Any] | None = None
) -> bytes:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": APP,
        "team": {"id": TEAM, "domain": "acme"},
        "channel": {"id": "C0REVIEW"},
        "message": review_message(),
        "response_url": "https://hooks.slack.com/actions/T0TEAM/1/abc",
        "trigger_id": "1.trigger",
        "actions": [{"type": "button", "action_id": action_id, "value": value, "block_id": "shepherd_decision"}],
    }
    payload.update(extra or {})
    return urlencode({"payload": json.dumps(payload)}).encode()
