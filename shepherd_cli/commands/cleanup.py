"""`shepherd cleanup [GROUP...] [--dry-run]`: apply the retention policies now, or see what they would delete."""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib.bootstrap import container
from chalicelib.cleanup.report import GroupReport
from chalicelib.cleanup.retention import VersionSummary
from shepherd_cli import exit_codes
from shepherd_cli.output import emit_json, table


def register(subparsers: Any) -> None:
    cleanup = subparsers.add_parser(
        "cleanup",
        help="delete rejected versions by each group's retention policy (what the schedule does)",
        description="Without --dry-run this deletes, exactly as the scheduled run does (same lease and checkpoint).",
    )
    cleanup.add_argument("groups", nargs="*", metavar="GROUP", help="model package groups (default: every policy)")
    cleanup.add_argument("--dry-run", action="store_true", help="list what would be deleted; change nothing")
    cleanup.add_argument("--json", action="store_true", help="machine-readable output")
    cleanup.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from chalicelib.cleanup.scheduled import run_in_time

    rows: list[tuple[str, str, str]] = []

    def observe(version: VersionSummary, outcome: str) -> None:
        rows.append((version.arn.split("/")[-2], f"v{version.version}", outcome))

    reports = run_in_time(container().cleanup_deps, groups=args.groups, dry_run=args.dry_run, observe=observe)
    if args.json:
        emit_json(
            {
                "groups": [r.as_dict() for r in reports],
                "versions": [{"group": g, "version": v, "outcome": o} for g, v, o in rows],
            }
        )
    else:
        _print(reports, rows)
    return exit_codes.FAILED if any(r.failure_count for r in reports) else exit_codes.OK


def _print(reports: list[GroupReport], rows: list[tuple[str, str, str]]) -> None:
    if rows:
        print(table(["group", "version", "outcome"], rows))
        print()
    for report in reports:
        print(_summary(report))


def _summary(report: GroupReport) -> str:
    if report.skipped:
        return f"{report.group}: skipped: {report.skipped}"
    if report.policy_problem:
        return f"{report.group}: not cleaned: its policy is invalid, nothing deleted: {report.policy_problem}"
    verb = "would delete" if report.dry_run else "deleted"
    kept = ", ".join(f"{tally.count} {reason.value}" for reason, tally in sorted(report.kept.items())) or "none"
    text = f"{report.group}: {verb} {report.deleted.count}; kept {kept}; failures {report.failure_count}"
    if report.dry_run:
        text += " (dry-run: nothing changed)"
    if report.stopped_early:
        text += "; stopped early, run again to continue"
    return text + "".join(f"\n  failed{' v' + str(f.version) if f.version else ''}: {f.error}" for f in report.failures)
