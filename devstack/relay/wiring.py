"""Read the app's event sources off the Chalice app and make the EventBridge rules they would get.

Generic on purpose: every @app.on_cw_event and @app.schedule in app.py, today's and tomorrow's, is
found here; nothing names a handler. Each handler gets its own rule (an event handler's pattern or a
schedule's expression, as deployed) targeting its own SQS queue, the stand-in for its function, whose
events go after three failed deliveries (as a Lambda's retries would end) to the one dead-letter queue
`<prefix>-dlq`, as deployed (the stack exports it as SHEPHERD_DLQ_URL for `shepherd replay`). moto never
fires a schedule: the local scheduler puts the event on the rule's target, as EventBridge would.
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
    queues: Mapping[str, str]  # handler -> queue URL (the rule's target), schedules' included
    dead_letters: Mapping[str, str]  # handler -> dead-letter queue URL (the one queue every handler shares)
    dead_letter_queue: str  # its URL
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
    dead_letter = sqs.create_queue(QueueName=f"{prefix}-dlq")["QueueUrl"]
    for handler, rule in [
        *((route.handler, {"EventPattern": json.dumps(route.pattern)}) for route in event_routes),
        *((schedule.handler, {"ScheduleExpression": schedule.expression}) for schedule in schedule_routes),
    ]:
        queues[handler], dead_letters[handler] = handler_queue(sqs, f"{prefix}-{handler}", dead_letter), dead_letter
        arn = events_client.put_rule(Name=f"{prefix}-{handler}", State="ENABLED", **rule)["RuleArn"]
        events_client.put_targets(
            Rule=f"{prefix}-{handler}", Targets=[{"Id": handler, "Arn": _arn(sqs, queues[handler])}]
        )
        if "ScheduleExpression" in rule:
            rules[handler] = arn
    return Wired(queues, dead_letters, dead_letter, rules)


def handler_queue(sqs: Any, name: str, dead_letter: str) -> str:
    """The queue standing in for a function (its URL), its failed events moved to `dead_letter`."""
    redrive = {"deadLetterTargetArn": _arn(sqs, dead_letter), "maxReceiveCount": MAX_RECEIVES}
    queue = sqs.create_queue(
        QueueName=name, Attributes={"VisibilityTimeout": str(VISIBILITY_SECONDS), "RedrivePolicy": json.dumps(redrive)}
    )["QueueUrl"]
    return str(queue)


def _arn(sqs: Any, url: str) -> str:
    arn: str = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return arn
