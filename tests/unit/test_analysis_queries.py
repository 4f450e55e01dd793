"""An analysis as the MetricDataQueries of one GetMetricData call, and its answer read back per query Id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import botocore.session
import pytest

from chalicelib.analysis.policy import Analysis, MetricCheck
from chalicelib.analysis.ports import Subject
from chalicelib.analysis.queries import MAX_QUERIES, QUERY_ID, metric_data_request, samples_of, unreadable

START = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
END = START + timedelta(minutes=30)
LATENCY = MetricCheck("latency", "ModelLatency", "p99", maximum=250000, tolerance=0.1)
ERRORS = MetricCheck("errors", "Invocation5XXErrors", "Sum", per="Invocations", maximum=0.01)
TEAM = MetricCheck("auc", "LiveAuc", "Average", namespace="Fraud/Online", dimensions=(("Team", "risk"),), minimum=0.8)
PROGRESSIVE = Subject("fraud-prod", "Challenger", baseline="AllTraffic")


def request(*checks: MetricCheck, subject: Subject = PROGRESSIVE) -> dict[str, Any]:
    return metric_data_request(Analysis(checks), subject, START, END)


def by_id(sent: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {query["Id"]: query for query in sent["MetricDataQueries"]}


def test_a_plain_check_is_one_query_per_variant_with_the_engines_dimensions() -> None:
    queries = by_id(request(LATENCY))
    assert set(queries) == {"c0", "b0"}
    stat = queries["c0"]["MetricStat"]
    assert stat == {
        "Metric": {
            "Namespace": "AWS/SageMaker",
            "MetricName": "ModelLatency",
            "Dimensions": [
                {"Name": "EndpointName", "Value": "fraud-prod"},
                {"Name": "VariantName", "Value": "Challenger"},
            ],
        },
        "Period": 60,
        "Stat": "p99",
    }
    assert queries["b0"]["MetricStat"]["Metric"]["Dimensions"][1] == {"Name": "VariantName", "Value": "AllTraffic"}


def test_a_ratio_is_two_sums_and_the_expression_dividing_them() -> None:
    queries = by_id(request(LATENCY, ERRORS, subject=Subject("fraud-prod", "AllTraffic")))
    assert set(queries) == {"c0", "c1", "c1_n", "c1_d"}
    assert queries["c1"] == {"Id": "c1", "Expression": "c1_n / c1_d", "ReturnData": True}
    assert queries["c1_n"]["MetricStat"]["Metric"]["MetricName"] == "Invocation5XXErrors"
    assert queries["c1_d"]["MetricStat"]["Metric"]["MetricName"] == "Invocations"
    assert {queries[name]["MetricStat"]["Stat"] for name in ("c1_n", "c1_d")} == {"Sum"}


def test_a_teams_own_dimensions_follow_the_engines() -> None:
    dimensions = by_id(request(TEAM))["c0"]["MetricStat"]["Metric"]["Dimensions"]
    assert [d["Name"] for d in dimensions] == ["EndpointName", "VariantName", "Team"]


def test_ten_checks_for_two_variants_fit_one_call_inside_botocores_model() -> None:
    checks = [MetricCheck(f"c{n}", "Invocation5XXErrors", "Sum", per="Invocations", maximum=1) for n in range(10)]
    sent = request(*checks)
    assert len(sent["MetricDataQueries"]) == 60 <= MAX_QUERIES
    assert all(QUERY_ID.match(query["Id"]) for query in sent["MetricDataQueries"])
    assert len({query["Id"] for query in sent["MetricDataQueries"]}) == 60
    model = botocore.session.get_session().get_service_model("cloudwatch").operation_model("GetMetricData")
    from botocore.validate import ParamValidator

    assert model.input_shape is not None
    assert not ParamValidator().validate(sent, model.input_shape).has_errors()


def test_more_queries_than_one_call_takes_is_refused_before_sending() -> None:
    checks = [MetricCheck(f"c{n}", "A", "Sum", per="B", maximum=1) for n in range(84)]
    with pytest.raises(ValueError, match="at most 500"):
        request(*checks)


def test_the_window_is_the_engines_oldest_first() -> None:
    sent = request(LATENCY)
    assert (sent["StartTime"], sent["EndTime"], sent["ScanBy"]) == (START, END, "TimestampAscending")


def page(*results: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    return {"MetricDataResults": list(results), **({"NextToken": token} if token else {})}


def result(query_id: str, minutes: list[int], values: list[float], status: str = "Complete") -> dict[str, Any]:
    stamps = [START + timedelta(minutes=m) for m in minutes]
    return {"Id": query_id, "Timestamps": stamps, "Values": values, "StatusCode": status}


def test_pages_of_one_answer_join_in_time_order() -> None:
    pages = [page(result("c0", [3, 1], [30, 10]), token="t"), page(result("c0", [2], [20]), result("b0", [1], [5]))]
    assert samples_of(pages) == {"c0": [10, 20, 30], "b0": [5]}


def test_results_cloudwatch_could_not_compute_are_named() -> None:
    pages = [page(result("c0", [], [], "Forbidden"), result("b0", [1], [1], "PartialData"))]
    assert unreadable(pages) == ["c0: Forbidden"]


def test_a_value_that_is_not_a_number_is_not_a_sample() -> None:
    pages = [page(result("c0", [1, 2, 3], [float("nan"), 20, float("inf")]))]
    assert samples_of(pages) == {"c0": [20]}
