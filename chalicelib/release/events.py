"""Raw endpoint and alarm events become the one name they carry, or a MalformedEventError that says why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
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


@dataclass(frozen=True)
class AlarmFired:
    name: str
    at: datetime | None = None  # the alarm's own state-change time (`state.timestamp`), when the event has one


def firing_alarm(detail: Any) -> AlarmFired | None:
    """The alarm if it went into ALARM; None for OK / INSUFFICIENT_DATA."""
    if not isinstance(detail, Mapping) or not isinstance(detail.get("alarmName"), str):
        raise MalformedEventError("event detail has no alarmName")
    state = detail.get("state")
    value = state.get("value") if isinstance(state, Mapping) else None
    if value != "ALARM":
        return None
    assert isinstance(state, Mapping)
    return AlarmFired(str(detail["alarmName"]), _timestamp(state.get("timestamp")))


def _timestamp(value: Any) -> datetime | None:
    """CloudWatch writes `2026-11-26T12:59:00.000+0000`; an unreadable one is judged by when we read it."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
