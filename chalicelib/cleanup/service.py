"""Scheduled cleanup: apply each group's retention policy, under a lease, and tell people what happened."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import uuid4

from aws_lambda_powertools.metrics import MetricUnit

from chalicelib.cleanup.messages import cleanup_notification
from chalicelib.cleanup.ports import ArtifactStore, CleanupRegistry, CleanupState, ProtectedVersions
from chalicelib.cleanup.report import GroupReport
from chalicelib.cleanup.retention import Protection, RetentionRule
from chalicelib.cleanup.sweep import Deadline, Observer, Sweep
from chalicelib.shared.errors import ConflictError, InvalidPolicyError, PolicyNotFoundError
from chalicelib.shared.observability import logger, metrics
from chalicelib.shared.ports import Notifier, Policies


@dataclass(frozen=True)
class CleanupDeps:
    registry: CleanupRegistry
    artifacts: ArtifactStore
    policies: Policies
    protected: ProtectedVersions
    state: CleanupState
    notifier: Notifier
    clock: Callable[[], datetime]
    reserve_seconds: int  # stop this long before the time limit, leaving time to save the checkpoint
    new_owner: Callable[[], str] = lambda: uuid4().hex


def run_cleanup(
    deps: CleanupDeps,
    deadline: Deadline,
    groups: Sequence[str] = (),
    dry_run: bool = False,
    observe: Observer | None = None,
) -> list[GroupReport]:
    """Every group with a policy (or just `groups`); one summary per group that did or would do something."""
    reports = []
    for group in groups or deps.policies.groups():
        report = clean_group(group, deps, deadline, dry_run, observe)
        reports.append(report)
        logger.info(
            "cleanup group",
            extra={
                "group": group,
                "deleted": report.deleted.count,
                "failures": report.failure_count,
                "skipped": report.skipped,
            },
        )
        if report.acted:
            deps.notifier.send(cleanup_notification(report))
    return reports


def clean_group(
    group: str, deps: CleanupDeps, deadline: Deadline, dry_run: bool = False, observe: Observer | None = None
) -> GroupReport:
    report = GroupReport(group, dry_run)
    try:
        policy = deps.policies.get(group)
    except PolicyNotFoundError:
        return replace(report, skipped="no policy: not touched")
    except InvalidPolicyError as error:
        return report.with_invalid_policy(str(error))
    rule = RetentionRule.from_section(policy.section("retention"))
    if rule is None:
        return replace(report, skipped="the policy has no retention section: not touched")
    report = replace(report, dry_run=dry_run or policy.dry_run)
    if deadline.expired():
        return replace(report, skipped="the time limit was reached before this group: next run")
    if report.dry_run:  # no lease, no checkpoint: no writes
        return _new_sweep(rule, deps, deadline, report, None, observe).run(cursor=None)
    return _sweep_under_lease(rule, deps, deadline, report, observe)


def _sweep_under_lease(
    rule: RetentionRule, deps: CleanupDeps, deadline: Deadline, report: GroupReport, observe: Observer | None
) -> GroupReport:
    owner, now = deps.new_owner(), deps.clock()
    lease = deps.state.acquire(report.group, owner, now, deadline.lease_until(now))
    if lease is None:
        return replace(report, skipped="another cleanup run is working on this group")
    sweep: Sweep | None = None
    try:
        sweep = _new_sweep(rule, deps, deadline, report, owner, observe)
        report = sweep.run(lease.cursor)
    except ConflictError as error:
        # Our lease ran out and another run holds the group: it carries on from the checkpoint. Safe, not a failure.
        return replace(sweep.report if sweep else report, skipped=f"stopped: {error}")
    except Exception as error:  # noqa: BLE001 - listing failed past its retries: keep what was done, retry next run
        logger.exception("cleanup stopped", extra={"group": report.group})
        done_so_far = sweep.report if sweep else report
        report = done_so_far.with_failure(None, f"stopped early, continues next run: {error}")
    cursor = sweep.cursor if sweep else lease.cursor
    metrics.add_metric(name="CleanupDeleted", unit=MetricUnit.Count, value=report.deleted.count)
    try:
        deps.state.release(report.group, owner, None if report.complete else cursor)
    except ConflictError as error:
        logger.warning("cleanup lease lost before release", extra={"group": report.group, "error": str(error)})
    return report


def _new_sweep(
    rule: RetentionRule,
    deps: CleanupDeps,
    deadline: Deadline,
    report: GroupReport,
    owner: str | None,
    observe: Observer | None,
) -> Sweep:
    """A sweep that knows what it must not touch; `owner` None (a dry run) records no checkpoint."""
    now = deps.clock()
    protected = deps.protected.protected_arns(report.group)
    protection = Protection(protected, deps.registry.newest_rejected(report.group, rule.keep_newest))
    shared: frozenset[str] = frozenset()
    if rule.delete_artifacts and not report.dry_run:
        shared = frozenset(uri for arn in protected for uri in _artifacts_of(arn, deps))

    def checkpoint(cursor: datetime) -> None:
        if owner is not None:
            deps.state.save(report.group, owner, cursor)

    sweep = Sweep(rule, deps.registry, deps.artifacts, deadline, report, now, protection, shared, checkpoint)
    if observe is not None:
        sweep.observe = observe
    return sweep


def _artifacts_of(arn: str, deps: CleanupDeps) -> tuple[str, ...]:
    detail = deps.registry.describe(arn)
    return detail.artifacts if detail else ()
