"""The Places port: each stage's SageMaker (endpoints, variants), Runtime and CloudWatch adapters in its own
account and region, made once per stage and kept (botocore renews the assumed credentials underneath), every
failure to reach the stage said with the stage's name, account, region and role (chalicelib/adapters/reached.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from chalicelib.adapters.assumed import assumed_session
from chalicelib.adapters.aws import placed_clients
from chalicelib.adapters.reached import (
    ReachedAlarms,
    ReachedAsyncInvoker,
    ReachedEndpoints,
    ReachedInvoker,
    ReachedJudge,
    ReachedVariants,
    reaching,
)
from chalicelib.release.placement import Placement
from chalicelib.release.places import StageAdapters


class AssumedPlaces:
    def __init__(
        self, sts: Callable[[], Any], clock: Callable[[], datetime] | None = None, session_policy: str | None = None
    ) -> None:
        self._sts = sts  # the app's own STS client, made on first use
        self._clock = clock  # botocore's clock for the credentials' expiry (tests move it)
        self._session_policy = session_policy  # narrows what the assumed role may do (the doctor only reads)
        self._made: dict[tuple[Placement, str], StageAdapters] = {}
        self._lock = threading.Lock()

    def at(self, place: Placement, stage: str) -> StageAdapters:
        with self._lock:  # a refusal is not kept: the next call assumes the role again
            if (place, stage) not in self._made:
                self._made[(place, stage)] = self._make(place, stage)
            return self._made[(place, stage)]

    def _make(self, place: Placement, stage: str) -> StageAdapters:
        from chalicelib.adapters.async_runtime import AsyncRuntimeInvoker
        from chalicelib.adapters.cloudwatch import CloudWatchAlarms
        from chalicelib.adapters.endpoints import SageMakerEndpoints
        from chalicelib.adapters.metric_judge import CloudWatchJudge
        from chalicelib.adapters.runtime import RuntimeInvoker
        from chalicelib.adapters.variants import SageMakerVariants

        where = place.describe(stage)
        with reaching(where):
            client = self.clients(place, stage)
            return StageAdapters(
                ReachedEndpoints(SageMakerEndpoints(client("sagemaker")), where),
                ReachedInvoker(RuntimeInvoker(client("sagemaker-runtime")), where),
                ReachedAlarms(CloudWatchAlarms(client("cloudwatch")), where),
                judge=ReachedJudge(CloudWatchJudge(client("cloudwatch")), where),
                variants=ReachedVariants(SageMakerVariants(client("sagemaker")), where),
                async_invoker=ReachedAsyncInvoker(
                    AsyncRuntimeInvoker(client("sagemaker-runtime"), client("s3")), where
                ),
            )

    def clients(self, place: Placement, stage: str) -> Callable[[str], Any]:
        """The stage's clients (its role assumed now: StageAccessError or StageUnreachableError naming it)."""
        return placed_clients(self._session(place, stage), place.region)

    def _session(self, place: Placement, stage: str) -> Any:
        if place.role_arn is None:  # only another region: the app's own account and credentials
            import botocore.session

            return botocore.session.Session()
        return assumed_session(place, stage, self._sts, self._clock, self._session_policy)
