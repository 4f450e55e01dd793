"""Local endpoints with several variants, served as SageMaker serves them: routed by weight or TargetVariant,
shadow copies answered and never returned, every variant's traffic, errors and latency in CloudWatch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.exceptions import ClientError

from devstack.moto_ext import endpoint_metrics, endpoint_runtime, install
from tests.support.local_variants import ENDPOINT, shadowed_endpoint, split_endpoint, statistic, variant

if TYPE_CHECKING:
    from mypy_boto3_sagemaker.type_defs import TagTypeDef

pytestmark = pytest.mark.usefixtures("aws")


@pytest.fixture(autouse=True)
def waited(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The injected latencies the callers waited for (recorded, not slept)."""
    install()
    slept: list[float] = []
    monkeypatch.setattr(endpoint_runtime, "sleep", slept.append)
    yield slept
    endpoint_runtime.reset()


def shadow_endpoint(sampling_weight: float) -> None:
    shadowed_endpoint(variant("AllTraffic", 1.0), variant("Challenger", sampling_weight))


def invoke(times: int, **request: Any) -> Counter[str]:
    runtime = boto3.client("sagemaker-runtime")
    answered: Counter[str] = Counter()
    for _ in range(times):
        answer = runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=b"1,2", ContentType="text/csv", **request)
        answered[answer["InvokedProductionVariant"]] += 1
    return answered


def test_a_quarter_of_the_weight_takes_about_a_quarter_of_the_requests_and_names_its_variant() -> None:
    split_endpoint(champion=75.0, challenger=25.0)
    answered = invoke(400)
    assert set(answered) == {"AllTraffic", "Challenger"}
    assert 0.20 <= answered["Challenger"] / 400 <= 0.30


def test_the_same_seeded_run_routes_the_same_way() -> None:
    split_endpoint(champion=50.0, challenger=50.0)
    first = invoke(40)
    endpoint_runtime.reset()
    assert invoke(40) == first


def test_a_variant_at_weight_zero_gets_nothing() -> None:
    split_endpoint(champion=1.0, challenger=0.0)
    assert invoke(50) == Counter({"AllTraffic": 50})


def test_new_weights_move_the_traffic() -> None:
    split_endpoint(champion=1.0, challenger=0.0)
    boto3.client("sagemaker").update_endpoint_weights_and_capacities(
        EndpointName=ENDPOINT,
        DesiredWeightsAndCapacities=[
            {"VariantName": "AllTraffic", "DesiredWeight": 0.0},
            {"VariantName": "Challenger", "DesiredWeight": 1.0},
        ],
    )
    assert invoke(20) == Counter({"Challenger": 20})


def test_target_variant_answers_whatever_the_weights_say() -> None:
    split_endpoint(champion=1.0, challenger=0.0)
    assert invoke(5, TargetVariant="Challenger") == Counter({"Challenger": 5})


def test_an_unknown_target_variant_is_refused() -> None:
    split_endpoint(champion=1.0, challenger=1.0)
    with pytest.raises(ClientError) as refused:
        invoke(1, TargetVariant="Nobody")
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert "no production variant named Nobody" in refused.value.response["Error"]["Message"]


def test_each_variant_answers_with_its_own_behaviour() -> None:
    split_endpoint(champion=1.0, challenger=1.0)
    endpoint_runtime.configure(ENDPOINT, response="champion")
    endpoint_runtime.configure(ENDPOINT, variant="Challenger", response="challenger")
    runtime = boto3.client("sagemaker-runtime")
    for name, body in (("AllTraffic", b"champion"), ("Challenger", b"challenger")):
        answer = runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=b"1", TargetVariant=name)
        assert answer["Body"].read() == body


def test_shadow_copies_are_answered_and_counted_under_their_own_name_but_never_returned() -> None:
    shadow_endpoint(sampling_weight=0.5)
    endpoint_runtime.configure(ENDPOINT, variant="Challenger", response="shadow answer", latency_ms=30)
    runtime = boto3.client("sagemaker-runtime")
    answers = [runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=b"1,2") for _ in range(200)]
    assert {answer["InvokedProductionVariant"] for answer in answers} == {"AllTraffic"}
    assert all(answer["Body"].read() != b"shadow answer" for answer in answers)
    assert statistic("Invocations", "AllTraffic") == 200
    copies = statistic("Invocations", "Challenger")
    assert copies is not None and 80 <= copies <= 120  # about half: the shadow's weight beside production's 1.0


def test_a_failing_shadow_never_fails_the_caller() -> None:
    shadow_endpoint(sampling_weight=1.0)
    endpoint_runtime.configure(ENDPOINT, variant="Challenger", error_rate=1.0)
    assert invoke(10) == Counter({"AllTraffic": 10})
    assert (statistic("Invocation5XXErrors", "Challenger"), statistic("Invocation5XXErrors", "AllTraffic")) == (10, 0)


def test_a_shadow_s_latency_is_recorded_but_never_waited_for(waited: list[float]) -> None:
    shadow_endpoint(sampling_weight=1.0)
    endpoint_runtime.configure(ENDPOINT, variant="Challenger", latency_ms=90)
    invoke(3)
    assert waited == []
    latency = statistic("ModelLatency", "Challenger", "Minimum")
    assert latency is not None and latency >= 90_000


def test_model_latency_and_errors_are_published_per_variant_as_sagemaker_does(waited: list[float]) -> None:
    split_endpoint(champion=1.0, challenger=1.0)
    endpoint_runtime.configure(ENDPOINT, latency_ms=10, response="ok")
    endpoint_runtime.configure(ENDPOINT, variant="Challenger", latency_ms=30, error_rate=0.5)
    runtime = boto3.client("sagemaker-runtime")
    refused = 0
    for _ in range(100):
        try:
            runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=b"1", TargetVariant="Challenger")
        except runtime.exceptions.ModelError:
            refused += 1
    invoke(20, TargetVariant="AllTraffic")
    champion, challenger = (
        statistic("ModelLatency", "AllTraffic", "Average"),
        statistic("ModelLatency", "Challenger", "Average"),
    )
    assert champion is not None and challenger is not None
    assert 10_000 <= champion < 20_000 and 30_000 <= challenger < 40_000  # microseconds: measured + injected
    error_rate = statistic("Invocation5XXErrors", "Challenger", "Average")
    assert error_rate == refused / 100  # a 1 per error, a 0 per answer: their Average is the error rate
    assert 35 <= refused <= 65
    assert statistic("Invocation5XXErrors", "AllTraffic", "Sum") == 0
    assert statistic("Invocation4XXErrors", "Challenger", "Sum") == 0
    assert sorted(set(waited)) == [0.01, 0.03]


def test_per_variant_injection_from_tags_any_client_sets() -> None:
    split_endpoint(champion=1.0, challenger=1.0)
    tags: list[TagTypeDef] = [
        {"Key": f"{endpoint_runtime.TAG_PREFIX}latency-ms@Challenger", "Value": "45"},
        {"Key": f"{endpoint_runtime.TAG_PREFIX}error-rate@Challenger", "Value": "1"},
        {"Key": f"{endpoint_runtime.TAG_PREFIX}response", "Value": "0.5"},
    ]
    arn = boto3.client("sagemaker").describe_endpoint(EndpointName=ENDPOINT)["EndpointArn"]
    boto3.client("sagemaker").add_tags(ResourceArn=arn, Tags=tags)
    assert invoke(3, TargetVariant="AllTraffic") == Counter({"AllTraffic": 3})
    with pytest.raises(ClientError, match="ModelError"):
        invoke(1, TargetVariant="Challenger")
    latency = statistic("ModelLatency", "Challenger", "Minimum")
    assert latency is not None and latency >= 45_000


def test_a_faster_clock_stamps_the_datapoints() -> None:
    split_endpoint(champion=1.0, challenger=0.0)
    stamp = datetime.now(UTC) - timedelta(minutes=3)
    endpoint_metrics.clock = lambda: stamp
    invoke(2)
    assert statistic("Invocations", "AllTraffic") == 2  # inside the window, at the clock's time
    assert statistic("Invocations", "AllTraffic", minutes=1) is None  # nothing at the real time


def test_a_faster_clock_spreads_a_window_over_minutes() -> None:
    real = [datetime(2026, 12, 7, 12, 0, tzinfo=UTC)]
    clock = endpoint_metrics.faster_clock(60.0, now=lambda: real[0])
    real[0] += timedelta(seconds=2)
    assert clock() == datetime(2026, 12, 7, 12, 2, tzinfo=UTC)
