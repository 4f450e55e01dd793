"""The CloudWatch judge against moto (with devstack's GetMetricData patches): one call per judgement, every
request through the strict validator; paging, throttling and refusals through botocore's Stubber."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters.metric_judge import CloudWatchJudge
from chalicelib.adapters.reached import ReachedJudge
from chalicelib.analysis.policy import Analysis, MetricCheck
from chalicelib.analysis.ports import Subject
from chalicelib.analysis.verdict import Verdict
from chalicelib.shared.errors import MetricsReadError

END = datetime.now(UTC).replace(second=0, microsecond=0)
START = END - timedelta(minutes=20)
LATENCY = MetricCheck("latency", "ModelLatency", "p99", maximum=250000, tolerance=0.1)
ERRORS = MetricCheck("errors", "Invocation5XXErrors", "Sum", per="Invocations", maximum=0.01)
ANALYSIS = Analysis((LATENCY, ERRORS), min_samples=5)
PROGRESSIVE = Subject("fraud-prod", "Challenger", baseline="AllTraffic")


@pytest.fixture
def cloudwatch(aws: None) -> Any:
    return boto3.client("cloudwatch")


def put(client: Any, variant: str, metric: str, minute: int, values: list[float]) -> None:
    dimensions = [{"Name": "EndpointName", "Value": "fraud-prod"}, {"Name": "VariantName", "Value": variant}]
    stamp = START + timedelta(minutes=minute, seconds=10)
    data = [{"MetricName": metric, "Dimensions": dimensions, "Timestamp": stamp, "Value": v} for v in values]
    client.put_metric_data(Namespace="AWS/SageMaker", MetricData=data)


def serve(client: Any, variant: str, latency_us: float, errors: int = 0, minutes: int = 12) -> None:
    rng = random.Random(variant)
    for minute in range(minutes):
        put(client, variant, "ModelLatency", minute, [rng.gauss(latency_us, latency_us / 10) for _ in range(20)])
        put(client, variant, "Invocations", minute, [100])
        put(client, variant, "Invocation5XXErrors", minute, [errors])


def calls_to(client: Any) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    client.meta.events.register(
        "before-parameter-build.cloudwatch.GetMetricData", lambda params, **_: sent.append(params)
    )
    return sent


def test_a_latency_regression_fails_in_one_call(cloudwatch: Any) -> None:
    serve(cloudwatch, "AllTraffic", 100000)
    serve(cloudwatch, "Challenger", 200000)
    sent = calls_to(cloudwatch)
    found = CloudWatchJudge(cloudwatch).judge(ANALYSIS, PROGRESSIVE, START, END)
    assert len(sent) == 1
    latency, errors = found.checks
    assert latency.verdict is Verdict.FAIL
    assert "worse than AllTraffic by more than 10%" in latency.detail
    assert (errors.verdict, errors.detail) == (
        Verdict.PASS,
        "Invocation5XXErrors/Invocations 0 <= 0.01 on Challenger",
    )


def test_a_challenger_like_the_champion_passes(cloudwatch: Any) -> None:
    serve(cloudwatch, "AllTraffic", 100000)
    serve(cloudwatch, "Challenger", 100000)
    found = CloudWatchJudge(cloudwatch).judge(ANALYSIS, PROGRESSIVE, START, END)
    assert found.verdict is Verdict.PASS, found.summary


def test_an_error_rate_over_its_maximum_fails(cloudwatch: Any) -> None:
    serve(cloudwatch, "AllTraffic", 100000)
    serve(cloudwatch, "Challenger", 100000, errors=3)
    found = CloudWatchJudge(cloudwatch).judge(ANALYSIS, PROGRESSIVE, START, END)
    assert found.checks[1].verdict is Verdict.FAIL
    assert found.checks[1].detail == "Invocation5XXErrors/Invocations 0.03 > 0.01 on Challenger"


def test_no_traffic_is_inconclusive(cloudwatch: Any) -> None:
    found = CloudWatchJudge(cloudwatch).judge(ANALYSIS, PROGRESSIVE, START, END)
    assert found.verdict is Verdict.INCONCLUSIVE
    assert "no data for p99 ModelLatency on Challenger" in found.summary


def test_too_few_minutes_are_inconclusive(cloudwatch: Any) -> None:
    serve(cloudwatch, "AllTraffic", 100000, minutes=3)
    serve(cloudwatch, "Challenger", 100000, minutes=3)
    found = CloudWatchJudge(cloudwatch).judge(ANALYSIS, PROGRESSIVE, START, END)
    assert found.checks[0].verdict is Verdict.INCONCLUSIVE
    assert "too few samples to compare (3 on Challenger, 3 on AllTraffic; 5 needed)" in found.checks[0].detail


def stubbed(*answers: dict[str, Any]) -> tuple[Any, Stubber]:
    client = boto3.client("cloudwatch")
    stubber = Stubber(client)
    for answer in answers:
        stubber.add_response("get_metric_data", answer)
    return client, stubber


def result(query_id: str, values: list[float], minute: int = 0, status: str = "Complete") -> dict[str, Any]:
    stamps = [START + timedelta(minutes=minute + n) for n in range(len(values))]
    return {"Id": query_id, "Timestamps": stamps, "Values": values, "StatusCode": status}


THRESHOLD = Analysis((MetricCheck("latency", "ModelLatency", "Maximum", maximum=10),))


def test_a_paged_answer_is_read_to_its_end() -> None:
    client, stubber = stubbed(
        {"MetricDataResults": [result("c0", [1, 2])], "NextToken": "more"},
        {"MetricDataResults": [result("c0", [30], minute=2)]},
    )
    with stubber:
        found = CloudWatchJudge(client).judge(THRESHOLD, Subject("fraud-prod", "AllTraffic"), START, END)
    stubber.assert_no_pending_responses()
    assert found.checks[0].detail == "Maximum ModelLatency 30 > 10 on AllTraffic"


def test_paging_is_bounded() -> None:
    client, stubber = stubbed(*[{"MetricDataResults": [], "NextToken": "again"}] * 2)
    with stubber, pytest.raises(MetricsReadError, match="more than 2 pages"):
        CloudWatchJudge(client, max_pages=2).judge(THRESHOLD, Subject("fraud-prod", "AllTraffic"), START, END)


@pytest.mark.parametrize(("code", "message"), [("Throttling", "Rate exceeded"), ("AccessDenied", "not authorized")])
def test_a_refused_or_throttled_read_is_an_error_not_a_verdict(code: str, message: str) -> None:
    client = boto3.client("cloudwatch")
    stubber = Stubber(client)
    stubber.add_client_error("get_metric_data", code, message)
    with stubber, pytest.raises(MetricsReadError, match=f"GetMetricData refused: {code}"):
        CloudWatchJudge(client).judge(THRESHOLD, Subject("fraud-prod", "AllTraffic"), START, END)


def test_a_query_cloudwatch_could_not_compute_is_an_error() -> None:
    client, stubber = stubbed({"MetricDataResults": [result("c0", [], status="Forbidden")]})
    with stubber, pytest.raises(MetricsReadError, match="could not compute c0: Forbidden"):
        CloudWatchJudge(client).judge(THRESHOLD, Subject("fraud-prod", "AllTraffic"), START, END)


def test_a_window_without_a_whole_minute_is_not_sent() -> None:
    with pytest.raises(MetricsReadError, match="no whole minute to measure"):
        CloudWatchJudge(boto3.client("cloudwatch")).judge(
            THRESHOLD, Subject("e", "v"), END, END + timedelta(seconds=59)
        )


def test_the_window_is_cut_to_whole_minutes(cloudwatch: Any) -> None:
    sent = calls_to(cloudwatch)
    CloudWatchJudge(cloudwatch).judge(
        THRESHOLD, Subject("e", "v"), START + timedelta(seconds=30), END + timedelta(seconds=59)
    )
    assert (sent[0]["StartTime"], sent[0]["EndTime"]) == (START, END)


def test_a_stages_judge_names_the_stage_in_its_errors() -> None:
    client = boto3.client("cloudwatch")
    stubber = Stubber(client)
    stubber.add_client_error("get_metric_data", "Throttling", "Rate exceeded")
    judge = ReachedJudge(CloudWatchJudge(client), "production (account 210987654321, us-west-2)")
    with stubber, pytest.raises(MetricsReadError, match=r"^production \(account 210987654321, us-west-2\): GetMetric"):
        judge.judge(THRESHOLD, Subject("fraud-prod", "AllTraffic"), START, END)


def test_the_largest_checks_the_schema_allows_make_a_request_cloudwatch_accepts(cloudwatch: Any) -> None:
    dimensions = tuple((f"{'d' * 250}{n:02}", "v" * 1024) for n in range(28))  # 28 + the engine's 2 = 30
    largest = MetricCheck("x" * 64, "m" * 255, "p99.9", namespace="n" * 255, dimensions=dimensions, maximum=1)
    ratios = [MetricCheck(f"r{n}", "m" * 255, "Sum", per="M" * 255, dimensions=dimensions, maximum=1) for n in range(9)]
    sent = calls_to(cloudwatch)
    found = CloudWatchJudge(cloudwatch).judge(Analysis((largest, *ratios)), PROGRESSIVE, START, END)
    assert len(sent) == 1 and len(sent[0]["MetricDataQueries"]) == 2 * (1 + 9 * 3)
    assert found.verdict is Verdict.INCONCLUSIVE  # nothing was put: no data, and no refusal
