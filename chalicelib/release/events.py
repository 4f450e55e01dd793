"""Raw endpoint and alarm events become the one name they carry, or a MalformedEventError naming the field.

"SageMaker Endpoint State Change": only EndpointName is read. Its EndpointStatus (IN_SERVICE, ...) and
epoch-millisecond times are not: the endpoint is described again, since the event's status may be stale.
"CloudWatch Alarm State Change": alarmName and state.value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.shared.event_fields import choice_field, event_object, object_field, text_field

ENDPOINT_STATE_CHANGE = "SageMaker Endpoint State Change"
ALARM_STATE_CHANGE = "CloudWatch Alarm State Change"
ENDPOINT_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")  # EndpointName in service-2.json
ENDPOINT_NAME_LIMIT = 63
ALARM_NAME_LIMIT = 255  # AlarmName in CloudWatch's service-2.json
ALARM_STATES = ("OK", "ALARM", "INSUFFICIENT_DATA")


def endpoint_name(detail: Any) -> str:
    return text_field(event_object(detail), "EndpointName", ENDPOINT_NAME_LIMIT, ENDPOINT_NAME)


@dataclass(frozen=True)
class AlarmFired:
    name: str
    at: datetime | None = None  # the alarm's own state-change time (`state.timestamp`), when the event has one


def firing_alarm(detail: Any) -> AlarmFired | None:
    """The alarm if it went into ALARM; None for OK / INSUFFICIENT_DATA."""
    detail = event_object(detail)
    name = text_field(detail, "alarmName", ALARM_NAME_LIMIT)
    state = object_field(detail, "state")
    value = choice_field(state, "value", ALARM_STATES, where="event detail state")
    return AlarmFired(name, _timestamp(state.get("timestamp"))) if value == "ALARM" else None


def _timestamp(value: Any) -> datetime | None:
    """CloudWatch writes `2026-11-26T12:59:00.000+0000`; an unreadable one is judged by when we read it."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
