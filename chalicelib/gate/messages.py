"""What people are told about a gate decision, on SNS and in Slack."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.gate.verdict import Decision, Outcome
from chalicelib.shared.model_version import ModelVersion
from chalicelib.shared.notification import Notification
from chalicelib.shared.slack_text import context, escape, link, section

APPROVE_ACTION = "shepherd_approve"
REJECT_ACTION = "shepherd_reject"
REGATE_ACTION = "shepherd_regate"
_ICONS = {Outcome.APPROVE: ":white_check_mark:", Outcome.REJECT: ":x:", Outcome.REVIEW: ":eyes:"}
_MAX_ROWS = 20


def gate_notification(
    version: ModelVersion,
    decision: Decision,
    policy_name: str,
    dry_run: bool,
    champion_arn: str | None = None,
) -> Notification:
    verdict = decision.outcome.value + (" (dry-run: nothing changed)" if dry_run else "")
    text = f"{version.group} {version.label}: {verdict}: {decision.summary}"
    body = {
        "type": "gate.decision",
        "group": version.group,
        "version": version.version,
        "arn": version.arn,
        "outcome": decision.outcome.value,
        "dry_run": dry_run,
        "policy": policy_name,
        "reasons": decision.reasons,
        "champion_arn": champion_arn,
        "metrics": metrics_table(decision.metrics, decision.champion_metrics),
    }
    attributes = {
        "type": "gate.decision",
        "group": version.group,
        "outcome": decision.outcome.value,
        "dry_run": str(dry_run).lower(),
    }
    return Notification("gate.decision", text, body, attributes, _blocks(version, decision, verdict, dry_run))


def metrics_table(
    metrics: Mapping[str, float], champion: Mapping[str, float] | None
) -> dict[str, dict[str, float | None]]:
    return {
        name: {"candidate": value, "champion": (champion or {}).get(name)} for name, value in sorted(metrics.items())
    }


def console_url(arn: str) -> str:
    region = arn.split(":")[3]
    return f"https://{region}.console.aws.amazon.com/sagemaker/home?region={region}#/model-registry"


def _blocks(version: ModelVersion, decision: Decision, verdict: str, dry_run: bool) -> list[dict[str, Any]]:
    icon = _ICONS[decision.outcome]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"{version.group} {version.label}: {verdict}"[:150]}},
        section(
            f"{icon} *{escape(decision.summary)}*\n"
            + "\n".join(f"• {escape(c.render())}" for c in decision.checks[:15])
        ),
    ]
    if decision.failed_checks:  # what people must weigh up, on its own so it is not lost in the list
        failed = "\n".join(f"• :x: {escape(check.render())}" for check in decision.failed_checks[:10])
        blocks.append(section(f"*Did not pass:*\n{failed}"))
    if decision.metrics:  # metric names come from the team's metrics document
        blocks.append(section("```" + escape(_table_text(decision.metrics, decision.champion_metrics)) + "```"))
    blocks.append(context(link(console_url(version.arn), version.arn)))
    if decision.outcome is Outcome.REVIEW and not dry_run:
        blocks.append(decision_buttons(version.arn))
    return blocks


def decision_buttons(arn: str) -> dict[str, Any]:
    # The value is only a lookup key: the click handler re-reads the package before acting.
    return {
        "type": "actions",
        "block_id": "shepherd_decision",
        "elements": [
            {
                "type": "button",
                "action_id": APPROVE_ACTION,
                "style": "primary",
                "value": arn,
                "text": {"type": "plain_text", "text": "Approve"},
            },
            {
                "type": "button",
                "action_id": REJECT_ACTION,
                "style": "danger",
                "value": arn,
                "text": {"type": "plain_text", "text": "Reject"},
            },
            {  # after a policy or metrics fix: the gate decides again, and may end the review itself
                "type": "button",
                "action_id": REGATE_ACTION,
                "value": arn,
                "text": {"type": "plain_text", "text": "Decide again"},
            },
        ],
    }


def _table_text(metrics: Mapping[str, float], champion: Mapping[str, float] | None) -> str:
    rows = [f"{'metric':<18}{'candidate':>12}{'champion':>12}{'delta':>10}"]
    for name, value in sorted(metrics.items())[:_MAX_ROWS]:
        old = (champion or {}).get(name)
        old_text = f"{old:>12.4g}" if old is not None else f"{'-':>12}"
        delta = f"{value - old:>+10.4g}" if old is not None else f"{'':>10}"
        rows.append(f"{name[:18]:<18}{value:>12.4g}{old_text}{delta}")
    return "\n".join(rows)
