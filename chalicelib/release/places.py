"""The port that reaches a stage in another account or region: its own SageMaker, Runtime and CloudWatch
adapters, made with that stage's credentials and region (the registry, the store and notices stay home)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from chalicelib.analysis.ports import Judge
from chalicelib.release.placement import Placement
from chalicelib.release.ports import Alarms, AsyncInvoker, Endpoints, Invoker
from chalicelib.release.variant_ports import Variants


@dataclass(frozen=True)
class StageAdapters:
    endpoints: Endpoints
    invoker: Invoker
    alarms: Alarms
    judge: Judge | None = None  # the metric analysis, reading the stage's own CloudWatch
    variants: Variants | None = None  # the stage's endpoints' variants (progressive, shadow)
    # An async target's smoke tests: the request and answer in S3 with the stage's own credentials.
    async_invoker: AsyncInvoker | None = None


class Places(Protocol):
    def at(self, place: Placement, stage: str) -> StageAdapters:
        """The adapters of `stage` at `place`; StageAccessError when its deploy role cannot be assumed."""
        ...
