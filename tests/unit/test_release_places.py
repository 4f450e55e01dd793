"""Which adapters a stage's calls go through: the app's own for a stage without placement, the stage's own
otherwise, and never the app's own in a stage's stead."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.release.deps import production_deps, staging_deps
from chalicelib.release.placement import Placement, Placements, execution_role_in
from chalicelib.release.places import StageAdapters
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.state import Release, Rules, Stage
from chalicelib.release.steps import deploy_staging
from chalicelib.shared.errors import StageAccessError
from tests.fakes.release import GoodAnswers, MemoryEndpoints, QuietAlarms, memory_deps
from tests.support.policies import example_document

PRODUCTION = Placement("333333333333", None, "arn:aws:iam::333333333333:role/deploy")


@dataclass
class RecordedPlaces:
    made: dict[str, MemoryEndpoints] = field(default_factory=dict)

    def at(self, place: Placement, stage: str) -> StageAdapters:
        endpoints = self.made.setdefault(stage, MemoryEndpoints())
        return StageAdapters(endpoints, GoodAnswers(), QuietAlarms())


def release() -> Release:
    started = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    deadline = started + timedelta(minutes=30)
    return Release("g", 2, "arn:.../2", "gate", Stage.STAGING, started, deadline, "m-v2", "c-stg", "c-prd", Rules())


def policy(places: Placements) -> ReleasePolicy:
    base = ReleasePolicy.from_section(example_document()["release"])
    return replace(base, places=places)


def test_a_stage_without_placement_uses_the_apps_own_adapters() -> None:
    deps = memory_deps("g")
    assert staging_deps(policy(Placements()), deps) is deps
    assert production_deps(policy(Placements()), deps) is deps


def test_a_stage_elsewhere_with_no_way_to_reach_it_is_refused_not_sent_from_home() -> None:
    deps = memory_deps("g")  # no places: a deployment that cannot assume roles
    with pytest.raises(StageAccessError, match=r"production \(account 333333333333, region of the app, role "):
        production_deps(policy(Placements(production=PRODUCTION)), deps)


def test_a_stage_elsewhere_gets_its_own_endpoints_and_keeps_the_apps_store_and_registry() -> None:
    places = RecordedPlaces()
    deps = memory_deps("g")
    deps.places = places
    production = production_deps(policy(Placements(production=PRODUCTION)), deps)
    assert production.endpoints is places.made["production"]
    assert (production.store, production.packages, production.notifier) == (deps.store, deps.packages, deps.notifier)


def test_the_model_runs_as_the_same_role_name_in_the_stages_account() -> None:
    role = "arn:aws:iam::111111111111:role/service-role/sagemaker-exec"
    assert execution_role_in(role, PRODUCTION) == "arn:aws:iam::333333333333:role/service-role/sagemaker-exec"
    assert execution_role_in(role, Placement(region="eu-west-1")) == role
    assert execution_role_in(role, None) == role


def test_staging_elsewhere_alone_is_deployed_where_it_is_and_no_endpoint_at_home() -> None:
    places = RecordedPlaces()
    deps = memory_deps("g")
    deps.places = places
    staging = Placement("222222222222", "eu-west-1", "arn:aws:iam::222222222222:role/deploy")
    deploy_staging(release(), policy(Placements(staging=staging)), deps)
    assert set(places.made) == {"staging"}
    assert "fraud-detection-staging" in places.made["staging"].endpoints
    assert isinstance(deps.endpoints, MemoryEndpoints) and deps.endpoints.endpoints == {}


def test_a_stage_naming_its_own_execution_role_runs_its_model_as_that_role() -> None:
    places = RecordedPlaces()
    deps = memory_deps("g")
    deps.places = places
    own = "arn:aws:iam::333333333333:role/fraud-prod-execution"
    chosen = replace(policy(Placements(production=PRODUCTION)), production_execution_role=own)
    deploy_staging(release(), chosen, deps)
    assert places.made["production"].models == {"m-v2": own}
    assert isinstance(deps.endpoints, MemoryEndpoints)  # staging names none: the release's role, at home
    assert deps.endpoints.models == {"m-v2": chosen.execution_role_arn}


def test_a_stage_without_its_own_execution_role_uses_the_releases_name_in_its_account() -> None:
    section = example_document()["release"]
    section["production"] = {**section["production"], "role_arn": PRODUCTION.role_arn}
    section["staging"] = {**section["staging"], "execution_role_arn": "arn:aws:iam::123456789012:role/staging-exec"}
    parsed = ReleasePolicy.from_section(section)
    assert parsed.execution_role("staging") == "arn:aws:iam::123456789012:role/staging-exec"
    assert parsed.execution_role("production") == execution_role_in(section["execution_role_arn"], PRODUCTION)
