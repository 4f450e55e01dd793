"""Read the app's event sources off the Chalice app and make the EventBridge rules they would get.

Generic on purpose: every @app.on_cw_event and @app.schedule in app.py, today's and tomorrow's, is
found here; nothing names a handler. Each event handler gets its own rule (the handler's pattern,
as deployed) targeting its own SQS queue, with a dead-letter queue after three failed deliveries,
as a Lambda's retries would end.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalice.app import Chalice, CloudWatchEventConfig, ScheduledEventConfig

MAX_RECEIVES = 3  # Lambda tries an asynchronous event three times before giving up on it
VISIBILITY_SECONDS = 2  # how long before a failed event is delivered again


@dataclass(frozen=True)
class EventRoute:
    handler: str  # the name in app.handler_map
    pattern: Mapping[str, Any]


@dataclass(frozen=True)
class ScheduleRoute:
    handler: str
    expression: str  # "rate(5 minutes)" or "cron(...)"


@dataclass(frozen=True)
class Wired:
    queues: Mapping[str, str]  # handler -> queue URL
    dead_letters: Mapping[str, str]  # handler -> dead-letter queue URL
    schedule_rules: Mapping[str, str]  # handler -> rule ARN


def routes(app: Chalice) -> tuple[list[EventRoute], list[ScheduleRoute]]:
    events: list[EventRoute] = []
    schedules: list[ScheduleRoute] = []
    for source in app.event_sources:
        if isinstance(source, CloudWatchEventConfig):
            events.append(EventRoute(source.name, source.event_pattern))
        elif isinstance(source, ScheduledEventConfig):
            expression = source.schedule_expression
            schedules.append(
                ScheduleRoute(source.name, expression if isinstance(expression, str) else expression.to_string())
            )
    return events, schedules


def wire(events_client: Any, sqs: Any, prefix: str, app: Chalice) -> Wired:
    event_routes, schedule_routes = routes(app)
    queues, dead_letters, rules = {}, {}, {}
    for route in event_routes:
        dead_letters[route.handler] = sqs.create_queue(QueueName=f"{prefix}-{route.handler}-dlq")["QueueUrl"]
        redrive = {"deadLetterTargetArn": _arn(sqs, dead_letters[route.handler]), "maxReceiveCount": MAX_RECEIVES}
        queues[route.handler] = sqs.create_queue(
            QueueName=f"{prefix}-{route.handler}",
            Attributes={"VisibilityTimeout": str(VISIBILITY_SECONDS), "RedrivePolicy": json.dumps(redrive)},
        )["QueueUrl"]
        rule = f"{prefix}-{route.handler}"
        events_client.put_rule(Name=rule, EventPattern=json.dumps(route.pattern), State="ENABLED")
        events_client.put_targets(Rule=rule, Targets=[{"Id": route.handler, "Arn": _arn(sqs, queues[route.handler])}])
    for schedule in schedule_routes:
        # Listed like the deployed rule; the local scheduler (devstack.relay.schedule) fires it.
        rules[schedule.handler] = events_client.put_rule(
            Name=f"{prefix}-{schedule.handler}", ScheduleExpression=schedule.expression, State="ENABLED"
        )["RuleArn"]
    return Wired(queues, dead_letters, rules)


def _arn(sqs: Any, url: str) -> str:
    arn: str = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return arn
