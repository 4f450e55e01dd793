"""A paused release's notifications: `release.paused` (why, where, with Continue / Roll back) and
`release.continued` (who let it go on, and why)."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.release.paused import last_judgements, resumed_stage
from chalicelib.release.state import Deployed, Release, Stage
from chalicelib.shared.notification import Notification
from chalicelib.shared.slack_text import escape, section

CONTINUE_ACTION = "shepherd_continue"
PAUSED_ROLLBACK_ACTION = "shepherd_paused_rollback"  # unlike the plain Roll back: only while it is PAUSED
KINDS = ("release.paused", "release.continued")


def paused_notification(release: Release, target: Deployed | None) -> Notification:
    """`target`: what a rollback serves; a paused release that never went live goes back to what is live."""
    kind = "release.paused"
    where = paused_at(release)
    text = f":double_vertical_bar: {release.label} is PAUSED at {where}: the analysis found no data too often"
    back_to = release.previous.version if release.previous and release.live_since is None else None
    body: dict[str, Any] = {
        **_about(kind, release),
        "paused_from": resumed_stage(release).value,
        "step": release.rollout.step,
        "judgements": list(last_judgements(release)),
        "rolled_back_at": release.deadline.isoformat(timespec="seconds"),
        "rollback_to": back_to or (target.version if target else None),
    }
    blocks: list[dict[str, Any]] = [section(escape(text)), section(_facts(release))]
    blocks.append({"type": "actions", "block_id": "shepherd_paused", "elements": _buttons(release)})
    return Notification(kind, text, body, {"type": kind, "group": release.group}, blocks)


def continued_notification(release: Release, actor: str, reason: str) -> Notification:
    kind = "release.continued"
    text = f":arrow_forward: {release.label} was continued by {actor} ({release.stage.value} again): {reason}"
    body = {**_about(kind, release), "actor": actor, "reason": reason}
    return Notification(kind, text, body, {"type": kind, "group": release.group}, [section(escape(text))])


def paused_at(release: Release) -> str:
    """`PRODUCTION, step 2 (25%)`: the stage it paused at, and the progressive step when it had one."""
    stage = resumed_stage(release)
    percent = _step_percent(release)
    if stage is Stage.PRODUCTION and percent is not None:
        return f"{stage.value}, step {release.rollout.step + 1} ({percent:g}%)"
    return stage.value


def _step_percent(release: Release) -> float | None:
    """The traffic share of its step, from the policy it started under (only a PROGRESSIVE one has steps)."""
    deployment = json.loads(release.policy).get("deployment") if release.policy else None
    steps = deployment.get("steps") if isinstance(deployment, dict) else None
    if not isinstance(steps, list) or not 0 <= release.rollout.step < len(steps):
        return None
    step = steps[release.rollout.step]
    return float(step) if isinstance(step, int | float) else None


def _about(kind: str, release: Release) -> dict[str, Any]:
    return {
        "type": kind,
        "group": release.group,
        "version": release.version,
        "arn": release.arn,
        "stage": release.stage.value,
        "approved_by": release.approved_by,
    }


def _facts(release: Release) -> str:
    judged = "\n".join(f"• {escape(summary)}" for summary in last_judgements(release)) or "• (no measurement recorded)"
    until = release.deadline.strftime("%Y-%m-%d %H:%M")
    lines = [
        f"*Last judgements:*\n{judged}",
        f"*Rolled back at* {until} UTC unless someone continues it. Approved by {escape(release.approved_by)}.",
    ]
    return "\n".join(lines)


def _buttons(release: Release) -> list[dict[str, Any]]:
    # Lookup keys only: the click re-reads the release (still PAUSED, still this version) before acting.
    value = json.dumps({"group": release.group, "version": release.version}, separators=(",", ":"))
    return [
        {
            "type": "button",
            "action_id": CONTINUE_ACTION,
            "style": "primary",
            "value": value,
            "text": {"type": "plain_text", "text": f"Continue v{release.version}"},
        },
        {
            "type": "button",
            "action_id": PAUSED_ROLLBACK_ACTION,
            "style": "danger",
            "value": value,
            "text": {"type": "plain_text", "text": "Roll back"},
        },
    ]
