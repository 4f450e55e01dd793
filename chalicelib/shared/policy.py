"""A group's policy, as a frozen value built from a document that already passed the policy schema."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.gate.margins import Margin
from chalicelib.gate.thresholds import Thresholds
from chalicelib.gate.verdict import Outcome


@dataclass(frozen=True)
class Policy:
    group: str
    digest: str
    dry_run: bool
    on_invalid_metrics: Outcome
    floors: Thresholds
    approval: Thresholds
    margins: tuple[Margin, ...]
    # The sections other capabilities read (release, retention, slack), kept as the policy wrote them.
    document: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        return f"{self.group}@{self.digest[:12]}"

    @property
    def metric_names(self) -> frozenset[str]:
        margins = {margin.metric for margin in self.margins}
        return self.floors.metrics | self.approval.metrics | margins

    def section(self, name: str) -> Mapping[str, Any]:
        section: Mapping[str, Any] = self.document.get(name, {})
        return section

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Policy:
        return cls(
            group=document["group"],
            digest=policy_digest(document),
            dry_run=document.get("mode", "enforce") == "dry-run",
            on_invalid_metrics=Outcome(document.get("on_invalid_metrics", "review")),
            floors=Thresholds.from_schema("floor", document.get("floors", {})),
            approval=Thresholds.from_schema("bar", document.get("approval", {})),
            margins=tuple(
                Margin.from_spec(metric, spec) for metric, spec in document.get("champion_margins", {}).items()
            ),
            document=document,
        )


def policy_digest(document: Mapping[str, Any]) -> str:
    """A stable hash of the policy's content, recorded with each decision."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
