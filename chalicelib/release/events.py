"""Raw endpoint and alarm events become the one name they carry, or a MalformedEventError that says why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.shared.errors import MalformedEventError

ENDPOINT_STATE_CHANGE = "SageMaker Endpoint State Change"
ALARM_STATE_CHANGE = "CloudWatch Alarm State Change"


def endpoint_name(detail: Any) -> str:
    if not isinstance(detail, Mapping):
        raise MalformedEventError("event detail is not an object")
    name = detail.get("EndpointName")
    if not isinstance(name, str) or not name:
        raise MalformedEventError("event detail has no EndpointName")
    return name  # only a name: the status is re-read, the event's may be stale


def firing_alarm(detail: Any) -> str | None:
    """The alarm's name if it went into ALARM; None for OK / INSUFFICIENT_DATA."""
    if not isinstance(detail, Mapping) or not isinstance(detail.get("alarmName"), str):
        raise MalformedEventError("event detail has no alarmName")
    state = detail.get("state")
    value = state.get("value") if isinstance(state, Mapping) else None
    return str(detail["alarmName"]) if value == "ALARM" else None
