"""Stages in other accounts and regions: what a policy may say about them, and what it is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from chalicelib.adapters.policy_files import SCHEMA_PATH
from chalicelib.release.placement import Placement, Placements
from chalicelib.release.policy import ReleasePolicy
from chalicelib.shared.policy_checks import policy_problems
from tests.support.policies import example_document

STAGING_ROLE = "arn:aws:iam::222222222222:role/shepherd-deploy"
PRODUCTION_ROLE = "arn:aws:iam::333333333333:role/shepherd-deploy"


def with_stages(staging: dict[str, Any], production: dict[str, Any]) -> dict[str, Any]:
    document = example_document()
    release = document["release"]
    release["staging"] = {**release["staging"], **staging}
    release["production"] = {**release["production"], **production}
    return document


def schema_errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA_PATH.read_text())
    return [error.message for error in Draft202012Validator(schema).iter_errors(document)]


def test_stages_without_placement_stay_in_the_apps_account_and_region() -> None:
    policy = ReleasePolicy.from_section(example_document()["release"])
    assert policy.places == Placements(None, None)


def test_each_stage_reads_its_own_account_region_role_and_external_id() -> None:
    staging = {"account": "222222222222", "role_arn": STAGING_ROLE, "region": "eu-west-1"}
    production = {"role_arn": PRODUCTION_ROLE, "external_id": "shepherd-prod"}
    document = with_stages(staging, production)
    assert schema_errors(document) == []
    assert policy_problems(document) == []
    places = ReleasePolicy.from_section(document["release"]).places
    assert places.staging == Placement("222222222222", "eu-west-1", STAGING_ROLE)
    assert places.production == Placement(None, None, PRODUCTION_ROLE, "shepherd-prod")
    assert places.production.target_account == "333333333333"  # the role's account when none is named


@pytest.mark.parametrize(
    "stage",
    [
        {"account": "2222"},  # not 12 digits
        {"account": "222222222222"},  # an account cannot be reached without its deploy role
        {"external_id": "abc"},  # an ExternalId for no role
        {"role_arn": "arn:aws:iam::222222222222:user/deployer"},  # not a role
        {"role_arn": STAGING_ROLE, "external_id": "x"},  # STS: at least 2 characters
        {"role_arn": STAGING_ROLE, "external_id": "a b"},  # STS: no spaces
        {"role_arn": STAGING_ROLE, "external_id": "x" * 1225},
        {"region": "Europe"},
    ],
)
def test_placements_outside_what_sts_and_sagemaker_accept_are_refused_by_the_schema(stage: dict[str, Any]) -> None:
    assert schema_errors(with_stages(stage, {})) != []


def test_a_deploy_role_in_another_account_than_the_stages_is_refused() -> None:
    document = with_stages({"account": "222222222222", "role_arn": PRODUCTION_ROLE}, {})
    assert schema_errors(document) == []
    assert policy_problems(document) == [
        "release.staging.role_arn: the role is in account 333333333333, not in the stage's account 222222222222"
    ]


def test_one_endpoint_name_in_two_accounts_is_two_endpoints() -> None:
    document = example_document()
    name = document["release"]["production"]["endpoint_name"]
    document = with_stages({"endpoint_name": name, "role_arn": STAGING_ROLE}, {"role_arn": PRODUCTION_ROLE})
    assert policy_problems(document) == []
    same_place = with_stages({"endpoint_name": name, "role_arn": STAGING_ROLE}, {"role_arn": STAGING_ROLE})
    assert any("same endpoint" in problem for problem in policy_problems(same_place))


def test_an_error_names_the_stage_its_account_region_and_role() -> None:
    place = Placement(None, "eu-west-1", PRODUCTION_ROLE)
    expected = f"production (account 333333333333, region eu-west-1, role {PRODUCTION_ROLE})"
    assert place.describe("production") == expected


def test_a_stage_may_name_its_own_execution_role_in_its_own_account() -> None:
    own = "arn:aws:iam::333333333333:role/fraud-prod-execution"
    document = with_stages({}, {"role_arn": PRODUCTION_ROLE, "execution_role_arn": own})
    assert schema_errors(document) == [] and policy_problems(document) == []
    elsewhere = with_stages({}, {"role_arn": PRODUCTION_ROLE, "execution_role_arn": STAGING_ROLE})
    [problem] = policy_problems(elsewhere)
    assert problem == (
        "release.production.execution_role_arn: the role is in account 222222222222, not in the stage's account "
        "333333333333"
    )
    assert schema_errors(with_stages({"execution_role_arn": "not-a-role"}, {})) != []


def test_stages_sharing_an_account_and_region_share_their_model_so_one_role() -> None:
    own = "arn:aws:iam::123456789012:role/staging-execution"
    [problem] = policy_problems(with_stages({"execution_role_arn": own}, {}))
    assert "one model serves both: they cannot run as different execution roles" in problem
    release = example_document()["release"]
    same = with_stages({"execution_role_arn": release["execution_role_arn"]}, {})
    assert policy_problems(same) == []  # the release's own role, named again
    assert policy_problems(with_stages({"execution_role_arn": own}, {"region": "eu-west-1"})) == []
