"""The manual promotion's notifications: awaiting (with Promote / Stop), the reminder, and how it ended."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.release.awaiting import waiting_since
from chalicelib.release.state import Release
from chalicelib.shared.decision_record import METRICS_KEY, recorded_metrics
from chalicelib.shared.notification import Notification
from chalicelib.shared.slack_text import escape, section

PROMOTE_ACTION = "shepherd_promote"
STOP_ACTION = "shepherd_stop"
HEADLINES = {
    "release.awaiting_promotion": ":hourglass: {label} passed its smoke tests on staging and awaits promotion",
    "release.promotion_reminder": ":alarm_clock: Reminder: {label} still awaits promotion",
    "release.promoted": ":arrow_forward: {label} was promoted to production by {by}",
    "release.stopped": ":octagonal_sign: {label} was STOPPED before production",
    "release.expired": ":hourglass_flowing_sand: {label} EXPIRED awaiting promotion",
    "release.superseded": ":fast_forward: {label} was SUPERSEDED while it awaited promotion",
}
ASKING = ("release.awaiting_promotion", "release.promotion_reminder")  # these carry the buttons


def promotion_notification(kind: str, release: Release) -> Notification:
    text = HEADLINES[kind].format(label=release.label, by=release.promoted_by)
    if release.reason:
        text += f": {release.reason}"
    body: dict[str, Any] = {
        "type": kind,
        "group": release.group,
        "version": release.version,
        "arn": release.arn,
        "stage": release.stage.value,
        "reason": release.reason,
        "approved_by": release.approved_by,
        "live_version": release.previous.version if release.previous else None,
        "expires_at": release.deadline.isoformat(timespec="seconds") if kind in ASKING else None,
        "promoted_by": release.promoted_by or None,
    }
    blocks: list[dict[str, Any]] = [section(escape(text))]
    if kind in ASKING:
        blocks += _facts(release)
        blocks.append({"type": "actions", "block_id": "shepherd_promotion", "elements": _buttons(release)})
    return Notification(kind, text, body, {"type": kind, "group": release.group}, blocks)


def smoke_summary(release: Release) -> str:
    tests = json.loads(release.policy).get("smoke_tests", []) if release.policy else []
    names = ", ".join(str(test.get("name")) for test in tests)
    return f"all {len(tests)} passed on staging ({names})" if tests else "none configured"


def metrics_comparison(release: Release) -> str:
    """`auc 0.95 (live 0.93)` per metric the gate kept; the live version's numbers where it kept them."""
    mine = recorded_metrics({METRICS_KEY: release.metrics}) if release.metrics else None
    if not mine:
        return "no metrics snapshot"
    live = release.previous
    theirs = (recorded_metrics({METRICS_KEY: live.metrics}) if live and live.metrics else None) or {}
    label = f"live v{live.version}" if live else "nothing live"
    parts = [
        f"{name} {value:.4g}" + (f" ({label} {theirs[name]:.4g})" if name in theirs else "")
        for name, value in mine.items()
    ]
    return "; ".join(parts)


def _facts(release: Release) -> list[dict[str, Any]]:
    since = waiting_since(release).strftime("%Y-%m-%d %H:%M")
    until = release.deadline.strftime("%Y-%m-%d %H:%M")
    lines = [
        f"*Smoke tests:* {escape(smoke_summary(release))}",
        f"*Candidate vs live:* {escape(metrics_comparison(release))}",
        f"*Waiting since* {since} UTC; expires {until} UTC (production untouched). "
        f"Approved by {escape(release.approved_by)}.",
    ]
    return [section("\n".join(lines))]


def _buttons(release: Release) -> list[dict[str, Any]]:
    value = json.dumps({"group": release.group, "version": release.version}, separators=(",", ":"))
    return [
        {
            "type": "button",
            "action_id": PROMOTE_ACTION,
            "style": "primary",
            "value": value,
            "text": {"type": "plain_text", "text": f"Promote v{release.version}"},
            "confirm": {
                "title": {"type": "plain_text", "text": "Promote to production?"},
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{escape(release.label)}* goes to production as the policy deploys it.",
                },
                "confirm": {"type": "plain_text", "text": "Promote"},
                "deny": {"type": "plain_text", "text": "Cancel"},
            },
        },
        {
            "type": "button",
            "action_id": STOP_ACTION,
            "style": "danger",
            "value": value,
            "text": {"type": "plain_text", "text": "Stop"},
        },
    ]
