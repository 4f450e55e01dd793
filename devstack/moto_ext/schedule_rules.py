"""A schedule rule matches no event, as on EventBridge: moto sends every event to a rule without a pattern.

The local stack's schedule rules target their handlers' queues (as a deployed rule targets its function);
without this, every SageMaker event would also start the reconciler and the cleanup.
"""

from __future__ import annotations

from typing import Any

from devstack.moto_ext.patching import Method, Patch, Wrap


def patches() -> list[Patch]:
    from moto.events.models import Rule

    return [Wrap(Rule, "send_to_targets", _events_skip_schedules, gap="a schedule rule receives every event")]


def _events_skip_schedules(call_next: Method, rule: Any, event: Any, *args: Any, **kwargs: Any) -> Any:
    if rule.scheduled_expression and not rule.event_pattern.get_pattern():
        return None
    return call_next(rule, event, *args, **kwargs)
