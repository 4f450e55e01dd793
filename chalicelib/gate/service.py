"""The registration gate: decide a pending version once, apply the decision, tell people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.gate.decision import Champion, evaluate, invalid_metrics
from chalicelib.gate.messages import gate_notification
from chalicelib.gate.metrics import MetricsReading, parse_metrics_document, read_metrics_document
from chalicelib.gate.ports import LiveVersions, MetricsReader, ReviewsStarted
from chalicelib.gate.result import GateResult
from chalicelib.gate.verdict import Decision, Outcome
from chalicelib.review.rules import ReviewTerms
from chalicelib.shared import decision_record as record
from chalicelib.shared.errors import (
    InvalidPolicyError,
    MetricsUnavailableError,
    ModelPackageNotFoundError,
    PolicyNotFoundError,
)
from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED, ModelVersion, version_from_arn
from chalicelib.shared.observability import count, logger
from chalicelib.shared.policy import Policy
from chalicelib.shared.ports import ModelRegistry, Notifier, Policies

STATUS_FOR = {Outcome.APPROVE: APPROVED, Outcome.REJECT: REJECTED, Outcome.REVIEW: PENDING}


@dataclass
class GateDeps:
    registry: ModelRegistry
    metrics: MetricsReader
    policies: Policies
    live: LiveVersions
    notifier: Notifier
    clock: Callable[[], datetime]
    reviews: ReviewsStarted | None = None  # None: reviews never expire (a tool that only evaluates)


def _policy_group(named_in_arn: str, policies: Policies) -> str:
    """The group's name as its policy spells it: SageMaker writes ARNs in lower case (a group
    `Fraud-Models` is `model-package/fraud-models/3`), and group names are unique regardless of case."""
    folded = named_in_arn.casefold()
    return next((group for group in policies.groups() if group.casefold() == folded), named_in_arn)


def decide_pending(arn: str, deps: GateDeps) -> GateResult:
    """Decide one version. Safe to call again: a version already decided is left alone."""
    group = _policy_group(version_from_arn(arn)[0], deps.policies)
    invalid: InvalidPolicyError | None = None
    try:  # before the registry: a group without a policy is not the gate's, not even to read
        policy: Policy | None = deps.policies.get(group)
    except PolicyNotFoundError:
        return _skipped(arn, f"group {group} has no policy: not touched")
    except InvalidPolicyError as error:
        policy, invalid = None, error
    try:
        version = deps.registry.get_version(arn)  # the event may be stale: trust only what is there now
    except ModelPackageNotFoundError:
        return _skipped(arn, "the version no longer exists")
    if version.status != PENDING:
        return _skipped(version.arn, f"status is {version.status}, not {PENDING}")
    if record.recorded_outcome(version.metadata):
        return _skipped(version.arn, "already decided (our own follow-up event, or a duplicate)")
    if policy is None:
        decision = Decision(Outcome.REVIEW, f"policy is invalid, nothing can be approved: {invalid}")
    else:
        decision = _decide(version, policy, deps)
    return _apply(version, decision, policy, deps)


def evaluate_version(version: ModelVersion, policy: Policy, deps: GateDeps) -> Decision:
    """The gate's verdict on any version, changing nothing (the CLI's `evaluate`)."""
    return _decide(version, policy, deps)


def _decide(version: ModelVersion, policy: Policy, deps: GateDeps) -> Decision:
    try:
        reading = _read_metrics(version, deps)
    except MetricsUnavailableError as error:
        return invalid_metrics(policy, str(error))
    return evaluate(policy, reading.values, _champion(version, policy, deps), reading.not_numbers)


def _read_metrics(version: ModelVersion, deps: GateDeps) -> MetricsReading:
    if not version.metrics_uri:
        raise MetricsUnavailableError("the version has no ModelMetrics.ModelQuality.Statistics.S3Uri")
    return read_metrics_document(deps.metrics.read(version.metrics_uri))


def _champion(version: ModelVersion, policy: Policy, deps: GateDeps) -> Champion | None:
    if not policy.margins:
        return None
    # Only a group with a release policy has a release engine's record: the others skip the lookup.
    known = deps.live.champion(version.group) if policy.section("release") else None
    if known is not None and known.arn != version.arn:
        label = f"v{version_from_arn(known.arn)[1]} ({'live' if known.live else 'newest approved'})"
        # The engine keeps the gate's snapshot (or the metrics URI) with its record: no registry read.
        snapshot = record.recorded_metrics({record.METRICS_KEY: known.metrics_snapshot or ""})
        if snapshot is not None and policy.metric_names <= snapshot.keys():
            return Champion(label, snapshot)
        if known.metrics_uri:
            uri = known.metrics_uri
            return _champion_from(label, lambda: parse_metrics_document(deps.metrics.read(uri)))
    champion = deps.registry.get_version(known.arn) if known else deps.registry.newest_approved(version.group)
    if champion is None or champion.arn == version.arn:
        return None
    label = f"{champion.label} ({'live' if known and known.live else 'newest approved'})"
    snapshot = record.recorded_metrics(champion.metadata)  # saves an S3 read when we decided it
    if snapshot is not None and policy.metric_names <= snapshot.keys():
        return Champion(label, snapshot)
    return _champion_from(label, lambda: _read_metrics(champion, deps).values)


def _champion_from(label: str, read: Callable[[], dict[str, float]]) -> Champion:
    """A champion whose metrics could not be read is still a champion: the comparison fails closed."""
    try:
        return Champion(label, read())
    except MetricsUnavailableError as error:
        return Champion(label, None, problem=str(error))


def apply_decision(
    version: ModelVersion, decision: Decision, policy: Policy, deps: GateDeps, extra: dict[str, str]
) -> GateResult:
    """Record and announce a decision made outside `decide_pending` (a re-gate), `extra` kept in its metadata."""
    return _apply(version, decision, policy, deps, extra)


def _apply(
    version: ModelVersion,
    decision: Decision,
    policy: Policy | None,
    deps: GateDeps,
    extra: dict[str, str] | None = None,
) -> GateResult:
    dry_run = policy.dry_run if policy else False
    policy_name = policy.name if policy else f"{version.group} (invalid policy)"
    logger.info(
        "gate decision", extra={"outcome": decision.outcome.value, "dry_run": dry_run, "reasons": decision.reasons}
    )
    if not dry_run:
        _start_review(version, decision, policy, deps)
        update = record.decision_metadata({**version.metadata, **(extra or {})}, decision, policy, deps.clock())
        if update.left_out:
            decision = _without_room(decision, update.left_out)
        deps.registry.record_decision(
            version,
            STATUS_FOR[decision.outcome],
            record.approval_description(decision, policy_name),
            update.metadata,
        )
    count("GateDecision", outcome=decision.outcome.value)
    deps.notifier.send(gate_notification(version, decision, policy_name, dry_run))
    return GateResult(version.arn, decision.outcome, applied=not dry_run, reasons=tuple(decision.reasons))


def _start_review(version: ModelVersion, decision: Decision, policy: Policy | None, deps: GateDeps) -> None:
    """Before the registry update: if that fails the event is retried, and the start is recorded once."""
    if decision.outcome is Outcome.REVIEW and deps.reviews is not None:
        terms = ReviewTerms.from_section(policy.section("slack") if policy else {})
        deps.reviews.started(version, terms, deps.clock())


def _without_room(decision: Decision, left_out: tuple[str, ...]) -> Decision:
    """The decision stands; people are told which of our keys the team's metadata left no room for."""
    logger.warning("no room for our metadata", extra={"left_out": left_out})
    count("MetadataBudgetExceeded")
    note = record.no_room_note(left_out)
    return replace(decision, summary=f"{decision.summary}; {note}")


def _skipped(arn: str, why: str) -> GateResult:
    logger.info("gate skipped", extra={"why": why})
    return GateResult.skip(arn, why)
