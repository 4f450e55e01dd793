"""What the gate depends on besides the shared ports: metrics documents, and the champion to beat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


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
