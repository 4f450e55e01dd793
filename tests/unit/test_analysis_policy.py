"""The policy's `release.analysis`: what the schema and the checks beyond it refuse, and what it parses into."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from chalicelib.adapters.policy_files import SCHEMA_PATH
from chalicelib.analysis.policy import Analysis, MetricCheck, analysis_of
from chalicelib.release.policy import ReleasePolicy
from chalicelib.shared.policy_checks import policy_problems
from tests.support.policies import batch_document, example_document

LATENCY = {"name": "latency", "metric": "ModelLatency", "statistic": "p99", "maximum": 250000, "tolerance": 0.1}
ERRORS = {"name": "errors", "metric": "Invocation5XXErrors", "per": "Invocations", "statistic": "Sum", "maximum": 0.01}


def with_analysis(**analysis: Any) -> dict[str, Any]:
    document = example_document()
    document["release"]["analysis"] = {"checks": [LATENCY, ERRORS], **analysis}
    return document


def with_check(**changes: Any) -> dict[str, Any]:
    check = {key: value for key, value in {**LATENCY, **changes}.items() if value is not None}
    return with_analysis(checks=[check])


def schema_errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA_PATH.read_text())
    return [error.message for error in Draft202012Validator(schema).iter_errors(document)]


def test_the_example_checks_pass_the_schema_and_the_checks() -> None:
    document = with_analysis(interval_seconds=120, failure_limit=1, inconclusive_limit=3, min_samples=10)
    assert schema_errors(document) == []
    assert policy_problems(document) == []


def test_analysis_parses_into_frozen_checks_with_defaults() -> None:
    policy = ReleasePolicy.from_section(with_analysis()["release"])
    assert policy.analysis == Analysis(
        checks=(
            MetricCheck("latency", "ModelLatency", "p99", maximum=250000, tolerance=0.1),
            MetricCheck("errors", "Invocation5XXErrors", "Sum", per="Invocations", maximum=0.01),
        ),
    )


def test_a_release_without_analysis_has_none() -> None:
    assert ReleasePolicy.from_section(example_document()["release"]).analysis is None
    assert analysis_of({}) is None


def test_a_check_in_a_teams_namespace_keeps_its_dimensions_sorted_and_direction() -> None:
    [check] = analysis_of(
        {
            "analysis": {
                "checks": [
                    {
                        "name": "auc",
                        "namespace": "Fraud/Online",
                        "metric": "LiveAuc",
                        "statistic": "Average",
                        "dimensions": {"Team": "risk", "Model": "fraud"},
                        "minimum": 0.8,
                        "tolerance": 0.02,
                        "higher_is_worse": False,
                    }
                ]
            }
        }
    ).checks  # type: ignore[union-attr]
    assert check.dimensions == (("Model", "fraud"), ("Team", "risk"))
    assert (check.namespace, check.higher_is_worse, check.minimum) == ("Fraud/Online", False, 0.8)


@pytest.mark.parametrize(
    "changes",
    [
        {"maximum": None, "tolerance": None},  # neither a threshold nor a tolerance: judges nothing
        {"statistic": "p100.5"},
        {"statistic": "P99"},
        {"statistic": "average"},
        {"statistic": "tm99"},  # trimmed means: not offered
        {"name": "latency check"},
        {"name": "x" * 65},
        {"metric": "m" * 256},
        {"namespace": ":starts-with-colon"},
        {"namespace": "n" * 256},
        {"dimensions": {"EndpointName": "other"}},  # the engine's own dimension
        {"dimensions": {"VariantName": "other"}},
        {"dimensions": {f"d{n}": "v" for n in range(29)}},  # 30 is CloudWatch's limit, the engine adds two
        {"dimensions": {"Team": ""}},
        {"dimensions": {"Team": "v" * 1025}},
        {"tolerance": -0.1},
        {"tolerance": 11},
        {"higher_is_worse": "yes"},
        {"unknown": 1},
    ],
)
def test_the_schema_refuses_a_check_outside_cloudwatchs_limits(changes: dict[str, Any]) -> None:
    assert schema_errors(with_check(**changes)) != []


@pytest.mark.parametrize(
    "analysis",
    [
        {"checks": []},
        {"checks": [{**LATENCY, "name": f"c{n}"} for n in range(11)]},
        {"interval_seconds": 90},
        {"interval_seconds": 0},
        {"failure_limit": -1},
        {"inconclusive_limit": -1},
        {"min_samples": 2},
        {"min_samples": 1.5},
    ],
)
def test_the_schema_bounds_the_analysis(analysis: dict[str, Any]) -> None:
    assert schema_errors(with_analysis(**analysis)) != []


def test_ten_checks_of_any_statistic_are_accepted() -> None:
    statistics = ["Average", "Sum", "Minimum", "Maximum", "SampleCount", "p50", "p99", "p99.9", "p0", "p90"]
    checks = [{**LATENCY, "name": f"c{n}", "statistic": stat} for n, stat in enumerate(statistics)]
    document = with_analysis(checks=checks)
    assert schema_errors(document) == []
    assert policy_problems(document) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"per": "Invocations", "statistic": "p99"}, "a ratio (per) is a Sum over a Sum, not a p99"),
        ({"per": "Invocations", "statistic": "Average"}, "not a Average"),
        ({"per": "ModelLatency", "statistic": "Sum"}, "ModelLatency per itself is always 1"),
        ({"minimum": 300000}, "minimum 300000 above maximum 250000"),
        ({"higher_is_worse": False, "tolerance": 1}, "lets any challenger pass"),
    ],
)
def test_checks_beyond_the_schema(changes: dict[str, Any], problem: str) -> None:
    document = with_check(**changes)
    assert schema_errors(document) == []
    [found] = policy_problems(document)
    assert found.startswith("release.analysis.checks[0] (latency): ") and problem in found


def test_two_checks_of_one_name_are_refused() -> None:
    assert policy_problems(with_analysis(checks=[LATENCY, {**ERRORS, "name": "latency"}])) == [
        "release.analysis.checks: names used twice: latency"
    ]


def test_a_batch_target_has_no_traffic_to_analyse() -> None:
    document = batch_document()
    document["release"]["analysis"] = {"checks": [LATENCY]}
    assert schema_errors(document) == []
    assert "release.analysis: a batch target has no endpoint whose metrics could judge it" in policy_problems(document)
