"""Raw endpoint and alarm events become the one name they carry, or a MalformedEventError naming the field.

"SageMaker Endpoint State Change": only EndpointName is read. Its EndpointStatus (IN_SERVICE, ...) and
epoch-millisecond times are not: the endpoint is described again, since the event's status may be stale.
"CloudWatch Alarm State Change": alarmName and state.value.
"""

from __future__ import annotations

import re
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


def firing_alarm(detail: Any) -> str | None:
    """The alarm's name if it went into ALARM; None for OK / INSUFFICIENT_DATA."""
    detail = event_object(detail)
    name = text_field(detail, "alarmName", ALARM_NAME_LIMIT)
    state = choice_field(object_field(detail, "state"), "value", ALARM_STATES, where="event detail state")
    return name if state == "ALARM" else None
