"""The checks a policy needs beyond its schema: metrics it names exist, bounds that can hold, own endpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.shared.policy_checks import endpoint_places, endpoints_claimed_by_others, policy_problems

EXAMPLE: dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "policies" / "fraud-detection-models.json").read_text()
)


def changed(**sections: Any) -> dict[str, Any]:
    return {**EXAMPLE, **sections}


def test_the_example_policy_has_no_problem() -> None:
    assert policy_problems(EXAMPLE) == []


def test_a_margin_on_a_misspelled_metric_names_the_metric_it_probably_meant() -> None:
    approval = {**EXAMPLE["approval"], "required": [*EXAMPLE["approval"]["required"], "log_loss"]}
    document = changed(approval=approval, champion_margins={"log_los": {"better": "lower", "max_loss": 0.01}})
    [problem] = policy_problems(document)
    assert "'log_los' is not a metric the policy declares" in problem
    assert "did you mean 'log_loss'?" in problem


def test_a_margin_on_a_metric_nothing_declares_is_refused_without_a_guess() -> None:
    [problem] = policy_problems(changed(champion_margins={"throughput": {"better": "higher", "min_gain": 1}}))
    assert "'throughput' is not a metric the policy declares" in problem
    assert "did you mean" not in problem


def test_a_bound_on_a_misspelled_metric_names_the_required_one() -> None:
    floors = {"required": ["auc", "precision"], "properties": {"auc": {"minimum": 0.8}, "precison": {"minimum": 0.7}}}
    [problem] = policy_problems(changed(floors=floors))
    assert "bounded metrics must be required: precison (did you mean 'precision'?)" in problem


@pytest.mark.parametrize(
    ("floor", "bar"),
    [
        ({"minimum": 0.8}, {"maximum": 0.5}),
        ({"minimum": 0.8, "maximum": 0.5}, {}),
        ({"exclusiveMinimum": 0.8}, {"maximum": 0.8}),
    ],
)
def test_bounds_that_cannot_both_hold_are_refused(floor: dict[str, float], bar: dict[str, float]) -> None:
    floors = {"required": ["auc"], "properties": {"auc": floor}}
    approval = {"required": ["auc"], "properties": {"auc": bar} if bar else {}}
    problems = policy_problems(changed(floors=floors, approval=approval, champion_margins={}))
    assert problems and all("cannot both hold" in p and p.startswith("auc:") for p in problems), problems


def test_bounds_that_meet_at_one_inclusive_point_can_hold() -> None:
    floors = {"required": ["auc"], "properties": {"auc": {"minimum": 0.8}}}
    approval = {"required": ["auc"], "properties": {"auc": {"maximum": 0.8}}}
    assert policy_problems(changed(floors=floors, approval=approval, champion_margins={})) == []


def test_staging_and_production_on_one_endpoint_is_refused() -> None:
    release = {**EXAMPLE["release"], "staging": EXAMPLE["release"]["production"]}
    assert any("same endpoint 'fraud-detection-prod'" in p for p in policy_problems(changed(release=release)))


def test_an_endpoint_in_another_groups_policy_is_refused_naming_that_group() -> None:
    claims = {("", "", "fraud-detection-prod"): ["fraud-detection-models", "churn-models"]}
    [problem] = endpoints_claimed_by_others("fraud-detection-models", EXAMPLE, claims)
    assert problem.startswith("release.production.endpoint_name: endpoint 'fraud-detection-prod'")
    assert problem.endswith("also in the policy of churn-models")
    assert endpoints_claimed_by_others("fraud-detection-models", EXAMPLE, {("", "", "x"): ["churn-models"]}) == []


def test_one_endpoint_name_in_two_accounts_or_regions_is_two_endpoints() -> None:
    elsewhere = {"account": "333333333333", "role_arn": "arn:aws:iam::333333333333:role/model-shepherd-deploy"}
    release = {**EXAMPLE["release"], "production": {**EXAMPLE["release"]["production"], **elsewhere}}
    placed = changed(release=release)
    [(key, place)] = [item for item in endpoint_places(placed).items() if "production" in item[0]]
    assert place == ("333333333333", "", "fraud-detection-prod")
    assert (
        endpoints_claimed_by_others(
            "fraud-detection-models", placed, {("", "", "fraud-detection-prod"): ["churn-models"]}
        )
        == []
    )
    assert endpoints_claimed_by_others("fraud-detection-models", placed, {place: ["churn-models"]}) != []
    in_region = {**release["production"], "region": "eu-west-1"}
    other_region = endpoint_places(changed(release={**release, "production": in_region}))[key]
    assert other_region == ("333333333333", "eu-west-1", "fraud-detection-prod") != place


def test_endpoint_names_differing_only_in_case_are_one_endpoint() -> None:
    claims = {("", "", "fraud-detection-prod"): ["churn-models"]}
    release = {
        **EXAMPLE["release"],
        "production": {**EXAMPLE["release"]["production"], "endpoint_name": "Fraud-Detection-Prod"},
    }
    [problem] = endpoints_claimed_by_others("fraud-detection-models", changed(release=release), claims)
    assert "endpoint 'Fraud-Detection-Prod' is also in the policy of churn-models" in problem


def test_more_required_approvals_than_listed_approvers_and_no_group_is_refused() -> None:
    slack = {"approvers": ["U024BE7LH", "U0G9QF9C6"], "required_approvals": 3}
    assert policy_problems(changed(slack=slack)) == [
        "slack.required_approvals is 3 but only 2 approvers are listed (no approver_groups)"
    ]
    assert policy_problems(changed(slack={**slack, "approver_groups": ["S0614TZR7"]})) == []
    assert policy_problems(changed(slack={**slack, "required_approvals": 2})) == []
