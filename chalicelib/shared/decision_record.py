"""What a decision writes back to the registry: the description people read, the metadata we read.

The one place for it, whoever decides: the gate, a click in Slack, or `shepherd approve|reject`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from chalicelib.gate.metrics import flatten_metrics
from chalicelib.gate.verdict import Decision
from chalicelib.shared.errors import MetricsUnavailableError
from chalicelib.shared.metadata_rules import VALUE_LIMIT, MetadataUpdate, allowed, safe_value, with_ours
from chalicelib.shared.model_version import REJECTED, ModelVersion
from chalicelib.shared.policy import Policy

DESCRIPTION_LIMIT = 1024  # SageMaker's ApprovalDescription maximum
PREFIX = "shepherd:"
OUTCOME_KEY = f"{PREFIX}outcome"
METRICS_KEY = f"{PREFIX}metrics"
POLICY_HASH_KEY = f"{PREFIX}policy-hash"
DECIDED_AT_KEY = f"{PREFIX}decided-at"
DECIDED_BY_KEY = f"{PREFIX}decided-by"  # a person's decision: "slack:<name> <user id>" or "cli:<who>"
REGATED_BY_KEY = f"{PREFIX}regated-by"  # who asked the gate to decide a version in review again, and why


def approval_description(decision: Decision, policy_name: str) -> str:
    text = f"model-shepherd {decision.outcome.value} ({policy_name}): " + "; ".join(decision.reasons)
    return truncate(text, DESCRIPTION_LIMIT)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decision_metadata(
    existing: Mapping[str, str], decision: Decision, policy: Policy | None, decided_at: datetime
) -> MetadataUpdate:
    """The package's metadata with the decision added; the team's own keys are kept as they were.

    With too little room left of SageMaker's 50 keys, ours go in order of need: the outcome (it stops a
    second decision), then when, the policy's hash and the metrics snapshot (the S3 document serves then).
    """
    ours = [
        (OUTCOME_KEY, decision.outcome.value),
        (DECIDED_AT_KEY, decided_at.isoformat(timespec="seconds")),
        (POLICY_HASH_KEY, policy.digest[:12] if policy else "invalid"),
    ]
    snapshot = metrics_snapshot(decision.metrics, policy.metric_names) if policy else None
    if snapshot:
        ours.append((METRICS_KEY, snapshot))
    return with_ours(existing, ours)


def metrics_snapshot(metrics: Mapping[str, float], names: frozenset[str]) -> str | None:
    """The policy's metrics as `auc=0.95 precision=0.9`, so a later gate can compare without reading S3.

    None when one of them cannot be written within SageMaker's metadata rules (a name outside its
    alphabet, or over 256 characters in all): a partial snapshot would hide a metric from the comparison.
    """
    chosen = {name: metrics[name] for name in sorted(names) if name in metrics}
    if not chosen or not all(_snapshot_name(name) and math.isfinite(value) for name, value in chosen.items()):
        return None
    text = " ".join(f"{name}={value!r}" for name, value in chosen.items())
    return text if len(text) <= VALUE_LIMIT else None


def _snapshot_name(name: str) -> bool:
    return bool(name) and "=" not in name and not any(char.isspace() for char in name) and all(map(allowed, name))


def recorded_outcome(metadata: Mapping[str, str]) -> str | None:
    return metadata.get(OUTCOME_KEY)


def recorded_metrics(metadata: Mapping[str, str]) -> dict[str, float] | None:
    """The snapshot a previous decision left, or None when there is none we can trust."""
    raw = metadata.get(METRICS_KEY)
    if not raw:
        return None
    try:
        if raw.startswith("{"):  # written by a version before the snapshot kept to SageMaker's alphabet
            return flatten_metrics(json.loads(raw))
        pairs = [item.split("=", 1) for item in raw.split()]
        return flatten_metrics({name: float(value) for name, value in pairs})
    except (ValueError, MetricsUnavailableError):  # hand-edited? read the S3 document instead
        return None


# --- a person's decision: a click in Slack, or `shepherd approve|reject` ----------------------------


def slack_description(status: str, actor: str, gate_description: str | None, reason: str = "") -> str:
    """``Approved by Jane (U123) in Slack: <what the gate said>``; with the person's reason first, when they gave
    one: ``Rejected by Jane (U123) in Slack: <reason>. The gate said: <...>``."""
    gate = gate_description or "no gate description"
    said = f"{reason}. The gate said: {gate}" if reason else gate
    return truncate(f"{status} by {actor} in Slack: {said}", DESCRIPTION_LIMIT)


def cli_description(status: str, actor: str, reason: str) -> str:
    """``Rejected by jane (shepherd CLI): <the reason given>``."""
    return truncate(f"{status} by {actor} (shepherd CLI): {reason}", DESCRIPTION_LIMIT)


def decided_by_metadata(
    existing: Mapping[str, str], decided_by: str, decided_at: datetime | None = None
) -> MetadataUpdate:
    """The package's metadata plus who decided (and when): UpdateModelPackage must not lose the team's
    keys or the gate's, and the release history names the person who approved. The value keeps to
    SageMaker's alphabet: `slack:jane (U024BE7LH)` is written `slack:jane U024BE7LH`. With no room left
    of the 50 keys, the description (which names the person too) is the record: see `left_out`."""
    ours = [(DECIDED_BY_KEY, safe_value(decided_by))]
    if decided_at is not None:
        ours.append((DECIDED_AT_KEY, decided_at.isoformat(timespec="seconds")))
    return with_ours(existing, ours)


def no_room_note(left_out: Sequence[str]) -> str:
    return f"not recorded in the package's metadata (SageMaker allows 50 keys): {', '.join(left_out)}"


_DESCRIBED_DECIDER = re.compile(r"^\w+ by (?P<who>.+?)(?: in (?P<slack>Slack)|(?P<cli> \(shepherd CLI\))): ")


def described_decider(description: str | None) -> str | None:
    """Who decided, from a description `slack_description` or `cli_description` wrote (``slack:jane (U1)``,
    ``cli:ana``): the record when the team's metadata left no room for `shepherd:decided-by`."""
    found = _DESCRIBED_DECIDER.match(description or "")
    if not found:
        return None
    return f"{'slack' if found['slack'] else 'cli'}:{found['who']}"


def recorded_decider(metadata: Mapping[str, str]) -> str | None:
    """Who decided by hand (``slack:...``, ``cli:...``), if a person did."""
    return metadata.get(DECIDED_BY_KEY) or None


def refusal(version: ModelVersion, status: str, live_arn: str | None) -> str | None:
    """Why a person may not set `status` on `version`, or None when they may.

    Rejecting the version production serves would leave it serving a Rejected version: roll back first.
    """
    if status == REJECTED and version.arn == live_arn:
        return f"{version.group} {version.label} is LIVE: roll back first, then reject it"
    return None
