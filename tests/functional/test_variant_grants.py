"""The release functions' roles allow what the Variants adapter sends for a group's production endpoint (its
champion's config read, a config beside it made, traffic shifted); an alarm and a rejection only drain a
challenger; nothing of it to functions that never move production."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.release.names import resource_names, shadow_config_of, split_config_of
from tests.support.aws_calls import AwsCall
from tests.support.function_roles import rendered_roles
from tests.support.iam_requests import IamRequest, iam_requests
from tests.support.role_check import refused

GROUP, PRODUCTION = "fraud-detection-models", "fraud-detection-prod"
MODEL, _, CHAMPION = resource_names(GROUP, 2, datetime(2026, 12, 7, tzinfo=UTC), 1)


def variant_requests(function: str) -> list[IamRequest]:
    calls = [
        ("DescribeEndpointConfig", {"EndpointConfigName": CHAMPION}),
        ("CreateEndpointConfig", {"EndpointConfigName": split_config_of(MODEL)}),
        ("CreateEndpointConfig", {"EndpointConfigName": shadow_config_of(MODEL)}),
        ("UpdateEndpointWeightsAndCapacities", {"EndpointName": PRODUCTION}),
        ("DescribeEndpoint", {"EndpointName": PRODUCTION}),
    ]
    return [
        request
        for operation, params in calls
        for request in iam_requests(AwsCall(function, "sagemaker", operation, params, "us-east-1"))
    ]


@pytest.mark.parametrize("function", ["release_endpoint", "release_reconcile", "api_handler"])
def test_the_functions_that_move_production_may_make_splits_and_shift_their_traffic(function: str) -> None:
    assert refused(rendered_roles()[function], variant_requests(function)) == []


@pytest.mark.parametrize("function", ["release_alarm", "release_decided"])
def test_an_alarm_or_a_rejection_may_drain_a_challenger_but_makes_no_variant_config(function: str) -> None:
    role = rendered_roles()[function]
    shift = [r for r in variant_requests(function) if r.action.endswith("UpdateEndpointWeightsAndCapacities")]
    assert refused(role, shift) == []
    describe = [r for r in variant_requests(function) if r.action.endswith("DescribeEndpointConfig")]
    assert refused(role, describe) == describe


def test_the_gate_and_cleanup_may_do_none_of_it() -> None:
    roles = rendered_roles()
    for function in ("gate", "cleanup"):
        assert refused(roles[function], variant_requests(function)) == variant_requests(function)
