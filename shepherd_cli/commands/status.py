"""`shepherd status [GROUP]`: each group's versions, their status, key metrics, which is LIVE, staging or in flight.

Roles come from the release engine's state: LIVE (the header says until when a new one is watched), the
release in flight and its stage (STAGING, SMOKE_TESTING, AWAITING_PROMOTION, SHADOW, PRODUCTION, PAUSED: the
header says where it paused and why; a shadow test or a progressive step: where it is, the last judgement and the
analysis's counts), queued, rollback target.
"""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib.bootstrap import Container
from chalicelib.release.watch_words import watched_until, watching_words
from chalicelib.shared import decision_record as record
from chalicelib.shared.errors import MetricsUnavailableError, ModelPackageNotFoundError
from chalicelib.shared.model_version import version_from_arn
from chalicelib.shared.numbers import exact
from shepherd_cli import exit_codes
from shepherd_cli.context import list_versions, make_container, metrics_of, policy_problem, positive_count
from shepherd_cli.last_release import failed_release, render_failed
from shepherd_cli.output import emit_json, table
from shepherd_cli.paused_release import paused_release, render_paused
from shepherd_cli.release_roles import engine_state, release_roles
from shepherd_cli.rollout_status import render_rollout, rollout_status
from shepherd_cli.stage_places import forwarding_suspects, render_places, stage_places

IN_FLIGHT = ("STAGING", "SMOKE_TESTING", "AWAITING_PROMOTION", "SHADOW", "PRODUCTION", "PAUSED")
KEY_METRICS = 4  # columns people can read at a glance; --json has them all


def register(subparsers: Any) -> None:
    status = subparsers.add_parser("status", help="versions, status, key metrics, what is LIVE")
    status.add_argument("group", nargs="?", help="model package group (default: every group)")
    status.add_argument("--limit", type=positive_count, default=20, help="newest versions per group (default 20)")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(handler=show_status)


def show_status(args: argparse.Namespace) -> int:
    container = make_container()
    groups = [args.group] if args.group else all_groups(container)
    # The weights cost a DescribeEndpoint of production: only when one group is asked about.
    report = [group_status(container, group, args.limit, weights=bool(args.group)) for group in groups]
    if args.json:
        emit_json({"groups": report})
    else:
        print("\n\n".join(render(entry) for entry in report) if report else "no model package groups")
    return exit_codes.OK


def all_groups(container: Container) -> list[str]:
    pages = container.client("sagemaker").get_paginator("list_model_package_groups").paginate()
    return sorted(g["ModelPackageGroupName"] for page in pages for g in page["ModelPackageGroupSummaryList"])


def group_status(container: Container, group: str, limit: int, weights: bool = False) -> dict[str, Any]:
    policy, problem = policy_problem(container, group)
    live = container.live_versions.live_arn(group)
    state = engine_state(container, group)
    roles = release_roles(state, live)
    failed = failed_release(state)
    stages = {arn: role for arn, role in roles.items() if role.startswith("LIVE") or role in IN_FLIGHT}
    versions = []
    for summary in list_versions(container, group)[:limit]:
        arn = summary["ModelPackageArn"]
        try:
            version = container.registry.get_version(arn)
        except ModelPackageNotFoundError:
            continue  # deleted between the listing and now
        role = roles.get(arn, "")
        versions.append(
            {
                "version": version_from_arn(arn)[1],
                "arn": arn,
                "status": version.status,
                "role": role,
                "lifecycle": version.lifecycle,  # the same DescribeModelPackage: no extra call
                "outcome": record.recorded_outcome(version.metadata),
                "metrics": _metrics(container, version),
                "created": version.created,
            }
        )
    key = sorted(policy.metric_names)[:KEY_METRICS] if policy else _most_common(versions)
    # From the release engine's record, not the listed rows: a LIVE v3 is LIVE whatever --limit shows.
    in_flight = next(
        ({"version": version_from_arn(arn)[1], "stage": role} for arn, role in stages.items() if role in IN_FLIGHT),
        None,
    )
    until = watched_until(state.release if state else None)
    serving = state.release.arn if until and state and state.release else live
    places = stage_places(policy)
    return {
        "group": group,
        "policy": policy.name if policy else None,
        "policy_problem": problem,
        "live": live,
        "live_version": version_from_arn(serving)[1] if serving else None,
        "in_flight": in_flight,
        "watched_until": until,
        "queued": state.queued.version if state and state.queued else None,
        "last_failed": failed,
        "paused": paused_release(state),
        "rollout": rollout_status(container, state, weights),
        "stages": places,
        "forwarding": forwarding_suspects(places, container.release_deps.arrivals),
        "key_metrics": key,
        "versions": versions,
    }


def render(entry: dict[str, Any]) -> str:
    live = f"v{entry['live_version']}" if entry["live_version"] else "none"
    if until := entry.get("watched_until"):
        live += f", {watching_words(until)}"
    flight = entry.get("in_flight")
    moving = f"v{flight['version']} {flight['stage']}" if flight else "none"
    policy = entry["policy"] or (
        "INVALID: " + entry["policy_problem"] if entry["policy_problem"] else "none (not managed)"
    )
    header = f"{entry['group']}   policy: {policy}   LIVE: {live}   in flight: {moving}"
    if failed := render_failed(entry.get("last_failed")):
        header += "\n" + failed
    if paused := render_paused(entry.get("paused"), entry["group"]):
        header += "\n" + paused
    if rollout := render_rollout(entry.get("rollout")):
        header += "\n" + rollout
    if places := render_places(entry.get("stages", {})):
        header += "\n" + places
    for line in entry.get("forwarding", []):
        header += "\n" + line
    names = entry["key_metrics"]
    rows = [
        [
            f"v{v['version']}",
            v["status"],
            v["role"],
            v["lifecycle"],
            v["outcome"] or "",
            *(_number(v["metrics"].get(name)) for name in names),
        ]
        for v in entry["versions"]
    ]
    return header + "\n" + table(["version", "status", "role", "lifecycle", "gate", *names], rows)


def _metrics(container: Container, version: Any) -> dict[str, float]:
    try:
        return metrics_of(container, version)
    except MetricsUnavailableError:
        return {}


def _most_common(versions: list[dict[str, Any]]) -> list[str]:
    counts: dict[str, int] = {}
    for version in versions:
        for name in version["metrics"]:
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))[:KEY_METRICS]


def _number(value: float | None) -> str:
    return "-" if value is None else exact(value)
