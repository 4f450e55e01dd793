"""`shepherd status [GROUP]`: each group's versions, their status, key metrics and which is LIVE."""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib.bootstrap import Container
from chalicelib.domain import record
from chalicelib.domain.model_version import version_from_arn
from chalicelib.errors import MetricsUnavailableError, ModelPackageNotFoundError
from shepherd_cli import exit_codes
from shepherd_cli.context import list_versions, make_container, metrics_of, policy_or_none
from shepherd_cli.output import emit_json, table

KEY_METRICS = 4  # columns people can read at a glance; --json has them all


def register(subparsers: Any) -> None:
    status = subparsers.add_parser("status", help="versions, status, key metrics, what is LIVE")
    status.add_argument("group", nargs="?", help="model package group (default: every group)")
    status.add_argument("--limit", type=int, default=20, help="newest versions per group (default 20)")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(handler=show_status)


def show_status(args: argparse.Namespace) -> int:
    container = make_container()
    groups = [args.group] if args.group else all_groups(container)
    report = [group_status(container, group, args.limit) for group in groups]
    if args.json:
        emit_json({"groups": report})
    else:
        print("\n\n".join(render(entry) for entry in report) if report else "no model package groups")
    return exit_codes.OK


def all_groups(container: Container) -> list[str]:
    pages = container.client("sagemaker").get_paginator("list_model_package_groups").paginate()
    return sorted(g["ModelPackageGroupName"] for page in pages for g in page["ModelPackageGroupSummaryList"])


def group_status(container: Container, group: str, limit: int) -> dict[str, Any]:
    policy = policy_or_none(container, group)
    live = container.live_versions.live_arn(group)
    protected = _protected(container, group)
    versions = []
    for summary in list_versions(container, group)[:limit]:
        arn = summary["ModelPackageArn"]
        try:
            version = container.registry.get_version(arn)
        except ModelPackageNotFoundError:
            continue  # deleted between the listing and now
        role = "LIVE" if arn == live else ("protected" if arn in protected else "")
        versions.append({"version": version_from_arn(arn)[1], "arn": arn, "status": version.status, "role": role,
                         "outcome": record.recorded_outcome(version.metadata), "metrics": _metrics(container, version),
                         "created": version.created})
    key = sorted(policy.metric_names)[:KEY_METRICS] if policy else _most_common(versions)
    return {"group": group, "policy": policy.name if policy else None, "live": live, "key_metrics": key,
            "versions": versions}


def render(entry: dict[str, Any]) -> str:
    live = next((f"v{v['version']}" for v in entry["versions"] if v["role"] == "LIVE"), "none")
    header = f"{entry['group']}   policy: {entry['policy'] or 'none (not managed)'}   LIVE: {live}"
    names = entry["key_metrics"]
    rows = [[f"v{v['version']}", v["status"], v["role"], v["outcome"] or "",
             *(_number(v["metrics"].get(name)) for name in names)] for v in entry["versions"]]
    return header + "\n" + table(["version", "status", "role", "gate", *names], rows)


def _metrics(container: Container, version: Any) -> dict[str, float]:
    try:
        return metrics_of(container, version)
    except MetricsUnavailableError:
        return {}


def _protected(container: Container, group: str) -> frozenset[str]:
    source = getattr(container, "protected_versions", None)  # the release engine's, once merged
    return source.protected_arns(group) if source is not None else frozenset()


def _most_common(versions: list[dict[str, Any]]) -> list[str]:
    counts: dict[str, int] = {}
    for version in versions:
        for name in version["metrics"]:
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))[:KEY_METRICS]


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"
