"""GroupState and HistoryRow to and from plain JSON (stored as one string attribute: schema-free, exact)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from chalicelib.hooks.record import records_from_json
from chalicelib.release.state import (
    Candidate,
    Deployed,
    GroupState,
    HistoryRow,
    LifeCycle,
    OwedLifeCycle,
    Release,
    Review,
    Rollout,
    Rules,
    Stage,
)

_TIMES = (
    "approved_at",
    "since",
    "started_at",
    "deadline",
    "watch_until",
    "live_since",
    "ended_at",
    "served_from",
    "served_to",
    "expires_at",
    "due_at",
    "step_since",
    "judged_until",
)
_SPANS = (
    "staging_deadline",
    "production_deadline",
    "watch",
    "promotion_expires",
    "promotion_reminder",
    "step_duration",
    "shadow_duration",
)


def dump(value: Any) -> Any:
    """asdict output made JSON-safe: datetimes as ISO strings, timedeltas as seconds."""
    if isinstance(value, dict):
        return {key: dump(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [dump(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def state_to_json(state: GroupState) -> dict[str, Any]:
    document: dict[str, Any] = dump(asdict(state))
    return document


def state_from_json(document: dict[str, Any]) -> GroupState:
    release = document.get("release")
    return GroupState(
        group=document["group"],
        revision=int(document.get("revision", 0)),
        release=_release(release) if release else None,
        live=_deployed(document.get("live")),
        good=tuple(d for d in (_deployed(item) for item in document.get("good", [])) if d is not None),
        queued=_candidate(document.get("queued")),
        newest_approved=_candidate(document.get("newest_approved")),
        reviews=tuple(Review(**_times(item)) for item in document.get("reviews", [])),
        lifecycles_owed=tuple(_owed(item) for item in document.get("lifecycles_owed", [])),
    )


def _owed(document: dict[str, Any]) -> OwedLifeCycle:
    return OwedLifeCycle(document["arn"], LifeCycle(**document["lifecycle"]))


def _candidate(document: dict[str, Any] | None) -> Candidate | None:
    return Candidate(**_times(document)) if document else None


def row_to_json(row: HistoryRow) -> dict[str, Any]:
    document: dict[str, Any] = dump(asdict(row))
    return document


def row_from_json(document: dict[str, Any]) -> HistoryRow:
    return HistoryRow(**_times(document))


def _release(document: dict[str, Any]) -> Release:
    fields = _times(document)
    fields["stage"] = Stage(fields["stage"])
    rules: dict[str, Any] = {
        key: timedelta(seconds=value) if key in _SPANS else value for key, value in fields["rules"].items()
    }
    rules["progressive_steps"] = tuple(rules.get("progressive_steps", ()))
    rules["hooks"] = tuple(rules.get("hooks", ()))
    fields["rules"] = Rules(**rules)
    fields["hooks"] = records_from_json(fields.get("hooks"))
    fields["previous"] = _deployed(fields.get("previous"))
    fields["rollout"] = _rollout(fields.get("rollout"))
    return Release(**fields)


def _rollout(document: dict[str, Any] | None) -> Rollout:
    """A release stored before rollouts were recorded has the empty one."""
    if not document:
        return Rollout()
    fields = _times(document)
    fields["results"] = tuple(fields.get("results", ()))
    paused_from = fields.get("paused_from")
    fields["paused_from"] = Stage(paused_from) if paused_from else None
    return Rollout(**fields)


def _deployed(document: dict[str, Any] | None) -> Deployed | None:
    return Deployed(**_times(document)) if document else None


def _times(document: dict[str, Any]) -> dict[str, Any]:
    return {key: datetime.fromisoformat(value) if key in _TIMES and value else value for key, value in document.items()}
