"""The Slack replies to a click (what it writes to the registry is chalicelib.shared.decision_record).

Replies go to the click's ``response_url``: ``replace_original`` shows the decision in the message
itself (buttons gone); ``ephemeral`` is seen by the clicker alone (refusals, too-late clicks).
Their texts are plain (reasons, names, who decided): escaped here, where they become mrkdwn. The blocks
of the original message come back from Slack already mrkdwn and are kept as they are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.shared.decision_record import recorded_decider, truncate
from chalicelib.shared.model_version import APPROVED, ModelVersion
from chalicelib.shared.slack_text import clip, context, escape, mention
from chalicelib.slack.click import ROLLBACK_ACTION, Click

APPROVALS_BLOCK = "shepherd_approvals"  # the line saying who has approved so far (four eyes)
_VERBS = {APPROVED: "Approved"}
_ICONS = {"Approved": ":white_check_mark:", "Rejected": ":x:", "Rolled": ":rewind:"}


def verb(status: str) -> str:
    return _VERBS.get(status, "Rejected")


def decided_by(version: ModelVersion) -> str:
    """Who decided a version that is no longer pending, as well as the registry can tell."""
    who = recorded_decider(version.metadata) or version.approval_description or "someone outside Slack"
    return truncate(who, 200)


def decided_message(click: Click, what: str, when: datetime, icon: str = "", reason: str = "") -> dict[str, Any]:
    """The original message with its buttons replaced by who did what (``Approved v3``), when, and why (the
    reason a person gave in the modal). After a modal Slack hands back no message: only the line remains."""
    icon = icon or _ICONS.get(what.split(" ")[0], ":ballot_box_with_check:")
    at = when.strftime("%Y-%m-%d %H:%M:%S")
    line = f"{icon} *{escape(what)}* by {mention(click.user_id)} ({escape(click.user_name)}) at {at} UTC"
    if reason:
        line += f": {escape(reason)}"
    kept = [block for block in _blocks(click) if block.get("type") != "actions"]
    return {
        "replace_original": True,
        "text": clip(escape(f"{what} by {click.actor}")),
        "blocks": [*kept, context(line)],
    }


def approvals_message(click: Click, progress: str) -> dict[str, Any]:
    """The original message, buttons kept, with who has approved so far (replacing the previous count)."""
    line = context(escape(progress), block_id=APPROVALS_BLOCK)
    return {
        "replace_original": True,
        "text": clip(escape(progress)),  # the notification's fallback: what changed
        "blocks": [*_blocks(click), line],
    }


def _blocks(click: Click) -> list[Mapping[str, Any]]:
    """The message's blocks as Slack sent them, without the approvals line a previous click added."""
    original = list((click.message or {}).get("blocks") or [])
    return [block for block in original if isinstance(block, Mapping) and block.get("block_id") != APPROVALS_BLOCK]


def ephemeral(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", "replace_original": False, "text": clip(escape(text))}


def rollback_button(group: str, to_version: int | None) -> dict[str, Any]:
    """The Roll back button a release notification carries (value: a lookup key, re-checked on click)."""
    target = f"v{to_version}" if to_version else "the last good version"
    label = f"Roll back to v{to_version}" if to_version else "Roll back"
    return {
        "type": "button",
        "action_id": ROLLBACK_ACTION,
        "style": "danger",
        "value": json.dumps({"group": group, "to_version": to_version}, separators=(",", ":")),
        "text": {"type": "plain_text", "text": label},
        "confirm": {
            "title": {"type": "plain_text", "text": "Roll back production?"},
            "text": {"type": "plain_text", "text": f"{group}: production goes back to {target}."},
            "confirm": {"type": "plain_text", "text": "Roll back"},
            "deny": {"type": "plain_text", "text": "Cancel"},
        },
    }
