"""What the Slack click services need, and the one way they reply."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.shared.observability import count, logger
from chalicelib.shared.ports import ModelRegistry, Policies
from chalicelib.slack.auth import Workspace
from chalicelib.slack.click import Click
from chalicelib.slack.ports import (
    ApprovalTallies,
    DecisionLocks,
    Pauses,
    Promotions,
    Regates,
    Retries,
    Rollbacks,
    SlackResponder,
    SlackUserGroups,
    SlackUsers,
    SlackViews,
)


def _new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class SlackActionDeps:
    signing_secret: Callable[[], str]
    workspace: Workspace
    registry: ModelRegistry
    policies: Policies
    locks: DecisionLocks
    responder: SlackResponder
    user_groups: SlackUserGroups
    rollbacks: Rollbacks
    retries: Retries
    promotions: Promotions
    pauses: Pauses  # Continue and Roll back on a paused release
    regates: Regates  # Decide again: the gate's second look at a version in review
    views: SlackViews
    tallies: ApprovalTallies  # four eyes: the distinct approvers of each decision
    users: SlackUsers  # users.info: whether the clicker registered the version
    clock: Callable[[], datetime]
    new_id: Callable[[], str] = field(default=_new_id)


def reply(deps: SlackActionDeps, click: Click, message: Mapping[str, Any]) -> None:
    """A reply that fails is logged and counted: the decision (if any) stands either way."""
    try:
        deps.responder.respond(click.response_url, message)
    except Exception as error:  # noqa: BLE001 - a lost reply must not undo or hide a decision
        logger.warning("slack reply failed", extra={"error": type(error).__name__})
        count("SlackReplyFailed")
