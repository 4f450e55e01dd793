"""A group's picture, read through the app's own adapters (the same reads as `status` and `history`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.bootstrap import Container
from chalicelib.release.history import history
from shepherd_cli.commands.status import group_status
from shepherd_cli.context import group_arn, policy_problem
from shepherd_cli.report.model import Bar, GroupPicture, InFlight, VersionPoint

VERSIONS = 50  # the newest ones: a chart of more is unreadable anyway


def collect(container: Container, group: str, now: datetime | None = None) -> GroupPicture:
    group_arn(container, group)  # an unknown group: ModelPackageNotFoundError (exit 3, a 404)
    status = group_status(container, group, VERSIONS)
    policy, _ = policy_problem(container, group)
    bars = (
        tuple(
            Bar(bound.metric, stage, bound.symbol, bound.limit)
            for stage, thresholds in (("floor", policy.floors), ("bar", policy.approval))
            for bound in thresholds.bounds
        )
        if policy
        else ()
    )
    flight = status["in_flight"]
    return GroupPicture(
        group=group,
        generated=now or datetime.now(UTC),
        policy=status["policy"],
        policy_problem=status["policy_problem"],
        live_version=status["live_version"],
        in_flight=InFlight(flight["version"], flight["stage"]) if flight else None,
        versions=tuple(_point(v) for v in reversed(status["versions"])),
        history=history(group, container.release_store).rows,
        key_metrics=tuple(status["key_metrics"]),
        bars=bars,
        watched_until=status["watched_until"],
        queued=status["queued"],
    )


def _point(entry: dict[str, Any]) -> VersionPoint:
    return VersionPoint(
        version=entry["version"],
        created=entry["created"],
        status=entry["status"],
        outcome=entry["outcome"],
        role=entry["role"],
        metrics=entry["metrics"],
    )
