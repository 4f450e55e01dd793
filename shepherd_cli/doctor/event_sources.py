"""What the app's rules must be: each @app.on_cw_event's pattern and each @app.schedule's expression,
read off app.py, and which function (or local stand-in) a rule's target ARN names."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shepherd_cli.doctor.expected_policies import checkout_module


@dataclass(frozen=True)
class EventSource:
    handler: str  # Chalice's name for the function: gate, release_reconcile, ...
    pattern: str = ""  # the event pattern as sorted JSON; "" for a schedule
    schedule: str = ""  # rate(...) or cron(...) as this process reads app.py; "" for an event handler

    def matches(self, rule: Mapping[str, Any]) -> bool:
        return not self.mismatch(rule)

    def mismatch(self, rule: Mapping[str, Any]) -> str:
        """What differs between the rule and the app's source, or "" when nothing does."""
        if self.schedule:  # any schedule: a stage may set its own (SHEPHERD_CLEANUP_SCHEDULE)
            return "" if rule.get("ScheduleExpression") else "has no schedule, the app's runs on one"
        if _canonical(rule.get("EventPattern", "")) != self.pattern:
            return "has an event pattern other than the app's"
        return ""


def event_sources() -> list[EventSource]:
    """Every function EventBridge starts, from the checkout's app.py."""
    from chalice.app import CloudWatchEventConfig, ScheduledEventConfig

    sources = []
    for source in checkout_module("app").app.event_sources:
        if isinstance(source, CloudWatchEventConfig):
            sources.append(EventSource(source.name, pattern=json.dumps(source.event_pattern, sort_keys=True)))
        elif isinstance(source, ScheduledEventConfig):
            expression = source.schedule_expression
            schedule = expression if isinstance(expression, str) else expression.to_string()
            sources.append(EventSource(source.name, schedule=schedule))
    return sources


def target_name(arn: str) -> str:
    """The function a target ARN names (`arn:aws:lambda:...:function:NAME[:QUALIFIER]`), or the queue's name
    for an SQS target (the local stack's stand-in for a function); any other ARN as it is."""
    parts = arn.split(":")
    if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
        return parts[6]
    if len(parts) == 6 and parts[2] == "sqs":
        return parts[5]
    return arn


def _canonical(pattern: str) -> str:
    try:
        return json.dumps(json.loads(pattern), sort_keys=True)
    except ValueError:
        return pattern
