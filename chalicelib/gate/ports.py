"""What the gate depends on besides the shared ports: metrics documents, and the champion to beat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.review.rules import ReviewTerms
from chalicelib.shared.model_version import ModelVersion


class MetricsReader(Protocol):
    def read(self, uri: str) -> bytes: ...


@dataclass(frozen=True)
class KnownChampion:
    """The version to beat as the release engine knows it, with what it takes to read its metrics."""

    arn: str
    live: bool  # serving production; else the newest Approved version the engine has seen
    metrics_snapshot: str | None = None  # the gate's `shepherd:metrics` of that version, if it had one
    metrics_uri: str | None = None


class LiveVersions(Protocol):
    """Which version serves production (else the newest Approved one), as the release engine knows it."""

    def champion(self, group: str) -> KnownChampion | None: ...

    def live_arn(self, group: str) -> str | None: ...


class ReviewsStarted(Protocol):
    """Where a review's start is recorded, so the reconciler reminds people and expires it on time."""

    def started(self, version: ModelVersion, terms: ReviewTerms, at: datetime) -> None: ...
