"""The release services with in-memory fakes: throttling, lost write races, repairs. No moto."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from chalicelib.adapters.endpoints import SageMakerEndpoints
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.machine import Action
from chalicelib.release.policy import Deployment
from chalicelib.release.ports import EndpointView
from chalicelib.release.results import Progress, Queued
from chalicelib.release.service import advance, on_approved
from chalicelib.release.state import Candidate, GroupState, HistoryRow, Stage
from chalicelib.shared.errors import ConflictError
from tests.fakes.release import MemoryEndpoints, MemoryStore, fixed_clock, memory_deps

GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/"
PROD = "fraud-detection-prod"


def throttled(operation: str) -> ClientError:
    return ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, operation)


@dataclass
class ThrottledOnce(MemoryEndpoints):
    throttle: set[str] | None = None

    def deploy(self, name: str, config: str, deployment: Deployment | None = None) -> None:
        if self.throttle and name in self.throttle:
            self.throttle.discard(name)
            raise throttled("UpdateEndpoint")
        super().deploy(name, config, deployment)


def deps(endpoints: MemoryEndpoints | None = None, store: MemoryStore | None = None) -> ReleaseDeps:
    return memory_deps(GROUP, store, endpoints)


def stage(release_deps: ReleaseDeps) -> Stage | None:
    release = release_deps.store.load(GROUP).release
    return release.stage if release else None


def test_throttled_past_its_retries_fails_nothing_and_the_next_look_repairs() -> None:
    endpoints = ThrottledOnce(throttle={PROD})
    endpoints.endpoints[PROD] = EndpointView("InService", "old-prd")  # an earlier version serves
    release_deps = deps(endpoints)
    on_approved(ARN + "1", release_deps)
    with pytest.raises(ClientError):
        advance(GROUP, release_deps)  # smoke tests pass; the production UpdateEndpoint is throttled out
    assert stage(release_deps) is Stage.PRODUCTION  # claimed, not failed
    redone = advance(GROUP, release_deps)  # production still on the old config: deploy it again
    assert isinstance(redone, Progress)
    assert redone.actions == (Action.DEPLOY_PRODUCTION,)
    advance(GROUP, release_deps)
    assert stage(release_deps) is Stage.WATCHING


@dataclass
class RacingStore(MemoryStore):
    """Another caller writes between our read and our write, once."""

    race: Candidate | None = None

    def save(self, state: GroupState, rows: Sequence[HistoryRow] = ()) -> GroupState:
        if self.race is not None:
            rival, self.race = self.race, None
            on_approved(rival.arn, deps(store=self))
        return super().save(state, rows)


def test_two_approvals_racing_for_one_group_start_one_and_queue_the_other() -> None:
    store = RacingStore(race=Candidate(2, ARN + "2", "gate", fixed_clock()))
    release_deps = deps(store=store)
    result = on_approved(ARN + "3", release_deps)  # lost its first write to v2, looked again
    state = store.load(GROUP)
    assert (state.release.version if state.release else None, state.queued.version if state.queued else None) == (2, 3)
    assert result == Queued(GROUP, 3)


def test_a_store_that_keeps_conflicting_gives_up_with_a_clear_error() -> None:
    class Conflicting(MemoryStore):
        def save(self, state: GroupState, rows: Sequence[HistoryRow] = ()) -> GroupState:
            raise ConflictError("always")

    with pytest.raises(ConflictError, match="lost 3 conditional writes"):
        on_approved(ARN + "1", deps(store=Conflicting()))


def test_endpoint_adapter_lets_throttling_through_and_names_refusals() -> None:
    client = boto3.client("sagemaker", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    endpoints = SageMakerEndpoints(client)
    with Stubber(client) as stub:
        stub.add_client_error("update_endpoint", service_error_code="ThrottlingException")
        with pytest.raises(ClientError):
            endpoints.deploy("e", "c")
        stub.add_client_error(
            "update_endpoint",
            service_error_code="ValidationException",
            service_message="Cannot update in-progress endpoint",
        )
        with pytest.raises(ConflictError):
            endpoints.deploy("e", "c")
