"""A group's picture, read through the app's own adapters (the same reads as `status` and `history`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.bootstrap import Container
from chalicelib.release.history import history
from chalicelib.release.paused import resumed_stage
from chalicelib.release.rollout_view import rollout_view
from chalicelib.release.state import GroupState, Stage
from shepherd_cli.commands.status import group_status
from shepherd_cli.context import group_arn, policy_problem
from shepherd_cli.release_roles import engine_state
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
    state = engine_state(container, group)
    return GroupPicture(
        group=group,
        generated=now or datetime.now(UTC),
        policy=status["policy"],
        policy_problem=status["policy_problem"],
        live_version=status["live_version"],
        in_flight=_in_flight(flight, state),
        versions=tuple(_point(v) for v in reversed(status["versions"])),
        history=history(group, container.release_store).rows,
        key_metrics=tuple(status["key_metrics"]),
        bars=bars,
        watched_until=status["watched_until"],
        queued=status["queued"],
        rollout=rollout_view(state.release if state else None),
    )


def _in_flight(flight: dict[str, Any] | None, state: GroupState | None) -> InFlight | None:
    if flight is None:
        return None
    release = state.release if state else None
    if release is None or not release.in_flight:
        return InFlight(flight["version"], flight["stage"])
    paused_at = resumed_stage(release).value if release.stage is Stage.PAUSED else None
    return InFlight(flight["version"], flight["stage"], paused_at, release.rules.shadow_percent > 0)


def _point(entry: dict[str, Any]) -> VersionPoint:
    return VersionPoint(
        version=entry["version"],
        created=entry["created"],
        status=entry["status"],
        outcome=entry["outcome"],
        role=entry["role"],
        metrics=entry["metrics"],
    )
