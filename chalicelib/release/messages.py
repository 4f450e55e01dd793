"""Release notifications: LIVE, FAILED, ROLLED_BACK (and manual rollbacks), for SNS and Slack."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.release.pause_messages import paused_notification
from chalicelib.release.promotion_messages import HEADLINES as PROMOTION_HEADLINES
from chalicelib.release.promotion_messages import promotion_notification
from chalicelib.release.state import Deployed, Release, Stage
from chalicelib.shared.notification import Notification
from chalicelib.shared.slack_text import context, escape, section

ROLLBACK_ACTION = "shepherd_rollback"
RETRY_ACTION = "shepherd_retry"  # on a FAILED release: release the version again once its cause is fixed
HEADLINES = {
    "release.live": ":rocket: {label} is LIVE in production",
    "release.failed": ":x: {label} release FAILED",
    "release.rolled_back": ":rewind: {label} was ROLLED BACK",
}


def release_notification(kind: str, release: Release, target: Deployed | None) -> Notification:
    """`target` is where a "Roll back" click would take production (None: no button)."""
    if kind in PROMOTION_HEADLINES:
        return promotion_notification(kind, release)
    if kind == "release.paused":
        return paused_notification(release, target)
    text = HEADLINES[kind].format(label=release.label)
    if release.reason:
        text += f": {release.reason}"
    measured = release.rollout.results[-1] if release.rollout.results else None
    if measured and measured not in release.reason:
        text += f" (last measurement {measured})"
    body: dict[str, Any] = {
        "type": kind,
        "group": release.group,
        "version": release.version,
        "arn": release.arn,
        "stage": release.stage.value,
        "reason": release.reason,
        "approved_by": release.approved_by,
        "previous_version": release.previous.version if release.previous else None,
        "rollback_to": target.version if target else None,
        "last_measurement": measured,
        "hooks": [record.as_dict() for record in release.hooks],
    }
    return Notification(kind, text, body, {"type": kind, "group": release.group}, _blocks(text, release, target))


def policy_invalid_notification(group: str, problem: str) -> Notification:
    kind = "policy.invalid"
    text = f":warning: {group}: its policy is invalid; approved versions wait and no release starts: {problem}"
    body = {"type": kind, "group": group, "problem": problem}
    return Notification(kind, text, body, {"type": kind, "group": group}, [section(escape(text))])


def rollback_notification(
    group: str, from_version: int | None, to: Deployed, actor: str, reason: str, target: Deployed | None
) -> Notification:
    kind = "release.rolled_back"
    text = f":rewind: {group} production rolled back to v{to.version} by {actor}: {reason}"
    body = {
        "type": kind,
        "group": group,
        "version": from_version,
        "to_version": to.version,
        "actor": actor,
        "reason": reason,
        "rollback_to": target.version if target else None,
    }
    return Notification(kind, text, body, {"type": kind, "group": group}, _blocks(text, None, target, group))


def rollback_button(group: str, version: int) -> dict[str, Any]:
    # The value is a lookup key only: the click handler re-checks everything before acting.
    return {
        "type": "button",
        "action_id": ROLLBACK_ACTION,
        "text": {"type": "plain_text", "text": f"Roll back to v{version}"},
        "style": "danger",
        "value": json.dumps({"group": group, "to_version": version}),
        "confirm": {
            "title": {"type": "plain_text", "text": "Roll back production?"},
            "text": {"type": "mrkdwn", "text": f"Production of *{escape(group)}* goes back to v{version}."},
            "confirm": {"type": "plain_text", "text": "Roll back"},
            "deny": {"type": "plain_text", "text": "Cancel"},
        },
    }


def retry_button(group: str, version: int) -> dict[str, Any]:
    # A lookup key like the Roll back button's: the release engine re-checks the version before acting.
    return {
        "type": "button",
        "action_id": RETRY_ACTION,
        "text": {"type": "plain_text", "text": f"Retry v{version}"},
        "value": json.dumps({"group": group, "version": version}),
        "confirm": {
            "title": {"type": "plain_text", "text": "Release it again?"},
            "text": {
                "type": "mrkdwn",
                "text": f"v{version} of *{escape(group)}* is released again: is its cause fixed?",
            },
            "confirm": {"type": "plain_text", "text": "Retry"},
            "deny": {"type": "plain_text", "text": "Cancel"},
        },
    }


def _blocks(text: str, release: Release | None, target: Deployed | None, group: str = "") -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [section(escape(text))]  # text: the headline with the reason, plain
    if release is not None:
        facts = f"approved by {release.approved_by}; stage {release.stage.value}; `{release.arn}`"
        blocks.append(context(escape(facts)))
        group = release.group
    buttons = [rollback_button(group, target.version)] if target is not None else []
    if release is not None and release.stage is Stage.FAILED:
        buttons.append(retry_button(group, release.version))
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return blocks
