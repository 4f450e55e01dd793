"""Smoke-test checks on staging answers, pure."""

from __future__ import annotations

import pytest

from chalicelib.adapters.endpoint_requests import deployment_config
from chalicelib.release.policy import ReleasePolicy, SmokeTest
from chalicelib.release.smoke import Invocation, check


def answer(body: str, status: int = 200, latency: float = 20.0) -> Invocation:
    return Invocation(status, body.encode(), "application/json", latency)


SCORE = SmokeTest("score", "1,2", "text/csv", field="predictions", minimum=0, maximum=1, max_latency_ms=100)
LABEL = SmokeTest("label", "{}", "application/json", labels=("fraud", "legit"))


@pytest.mark.parametrize(
    "body", ['{"predictions": [0.2, 0.9]}', "0.4", "0.1,0.3\n0.5", '{"predictions": [{"score": 0.2}, {"score": 0.9}]}']
)
def test_scores_in_range_pass_as_json_or_csv(body: str) -> None:
    assert check(SCORE, answer(body)) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('{"predictions": [1.5]}', "score: prediction 1.5 outside [0, 1]"),
        ('{"predictions": [{"score": 1.5}]}', "score: prediction 1.5 outside [0, 1]"),  # the XGBoost container's JSON
        ('{"predictions": [{"label": 1}]}', "score: prediction {'label': 1} is not a finite number"),
        ('{"predictions": ["high"]}', "score: prediction 'high' is not a finite number"),
        ('{"predictions": [NaN]}', "score: prediction nan is not a finite number"),
        ('{"scores": [0.1]}', "score: response not parseable: no 'predictions' in the response object"),
        ("<html>oops</html>", "score: response not parseable: neither JSON nor CSV numbers"),
        ("", "score: response not parseable: empty body"),
        ('{"predictions": []}', "score: no predictions in the response"),
    ],
)
def test_bad_answers_say_what_is_wrong(body: str, problem: str) -> None:
    assert check(SCORE, answer(body)) == [problem]


def test_status_and_latency_budget() -> None:
    assert check(SCORE, Invocation(500, b"", "", 5, "ModelError: boom")) == [
        "score: status 500, expected 200 (ModelError: boom)"
    ]
    assert check(SCORE, answer("0.5", latency=250)) == ["score: latency 250 ms over the 100 ms budget"]


def test_expected_labels() -> None:
    assert check(LABEL, answer('["fraud", "legit"]')) == []
    assert check(LABEL, answer('{"predictions": ["maybe"]}')) == ["label: labels ['maybe'] not in ['fraud', 'legit']"]


def test_deployment_config_from_the_policy() -> None:
    policy = ReleasePolicy.from_section(
        {
            "execution_role_arn": "arn:aws:iam::123456789012:role/r",
            "staging": {"endpoint_name": "s", "instance_type": "ml.m5.large"},
            "production": {"endpoint_name": "p", "instance_type": "ml.m5.large", "instance_count": 2},
            "deployment": {
                "type": "LINEAR",
                "linear_step_size": {"type": "CAPACITY_PERCENT", "value": 25},
                "bake_minutes": 5,
                "termination_wait_minutes": 2,
                "min_canary_invocations": 50,
            },
            "alarms": ["a5xx"],
        }
    )
    assert deployment_config(policy.deployment) == {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {
                "Type": "LINEAR",
                "WaitIntervalInSeconds": 300,
                "LinearStepSize": {"Type": "CAPACITY_PERCENT", "Value": 25},
            },
            "TerminationWaitInSeconds": 120,
        },
        "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "a5xx"}]},
    }
    assert policy.counts_canary
