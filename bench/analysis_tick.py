"""One analysis tick: CPU to build the GetMetricData request and judge its answer, and the AWS calls it makes.

    .venv/bin/python -m bench.analysis_tick [TICKS]

10 checks (6 on latency, 4 error ratios), challenger and champion, 60 per-minute samples each: the request
built, a synthetic answer read and judged (thresholds and Mann-Whitney comparisons), on one core. Baseline
in the same run: the same checks as thresholds only, on one variant (a blue/green update's watch). Then the
same tick against moto in-process (an hour of metrics put for both variants): AWS calls counted per
operation; the bar is exactly one GetMetricData (exit 1 otherwise).
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.analysis.judging import judgement
from chalicelib.analysis.policy import Analysis, MetricCheck
from chalicelib.analysis.ports import Subject
from chalicelib.analysis.queries import metric_data_request, samples_of

SAMPLES = 60
END = datetime.now(UTC).replace(second=0, microsecond=0)
START = END - timedelta(minutes=SAMPLES)
PROGRESSIVE = Subject("fraud-prod", "Challenger", baseline="AllTraffic")
BLUE_GREEN = Subject("fraud-prod", "AllTraffic")
LATENCIES = [("ModelLatency", stat) for stat in ("p99", "p90", "p50", "Average", "Maximum")] + [
    ("OverheadLatency", "p99")
]
RATIOS = ["Invocation5XXErrors", "Invocation4XXErrors", "InvocationModelErrors", "ModelSetupTime"]


def checks(compared: bool) -> tuple[MetricCheck, ...]:
    tolerance = 0.1 if compared else None
    latency = [
        MetricCheck(f"{metric}-{stat}", metric, stat, maximum=250000, tolerance=tolerance) for metric, stat in LATENCIES
    ]
    ratios = [
        MetricCheck(metric, metric, "Sum", per="Invocations", maximum=0.01, tolerance=tolerance) for metric in RATIOS
    ]
    return (*latency, *ratios)


def answer(request: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    stamps = [START + timedelta(minutes=n) for n in range(SAMPLES)]
    results = [
        {
            "Id": query["Id"],
            "Timestamps": stamps,
            "Values": [rng.uniform(1, 1000) for _ in stamps],
            "StatusCode": "Complete",
        }
        for query in request["MetricDataQueries"]
        if query["ReturnData"]
    ]
    return [{"MetricDataResults": results}]


def cpu_per_tick(analysis: Analysis, subject: Subject, ticks: int) -> float:
    """Milliseconds of CPU per tick: the request built and a (pre-made) answer judged."""
    pages = answer(metric_data_request(analysis, subject, START, END), random.Random(1))
    started = time.process_time()
    for _ in range(ticks):
        metric_data_request(analysis, subject, START, END)
        judgement(analysis, subject, samples_of(pages))
    return (time.process_time() - started) / ticks * 1000


def calls_per_tick(analysis: Analysis) -> tuple[Counter[str], str]:
    import boto3
    from moto import mock_aws

    from chalicelib.adapters.metric_judge import CloudWatchJudge
    from devstack import moto_ext

    moto_ext.install()
    with mock_aws():
        client = boto3.client("cloudwatch", region_name="us-east-1")
        _serve_an_hour(client)
        counted: Counter[str] = Counter()
        client.meta.events.register("before-call.*.*", lambda model, **_: counted.update([model.name]))
        found = CloudWatchJudge(client).judge(analysis, PROGRESSIVE, START, END)
        return counted, found.verdict.value


def _serve_an_hour(client: Any) -> None:
    rng = random.Random(2)
    metrics = [*{metric for metric, _ in LATENCIES}, *RATIOS, "Invocations"]
    for variant in ("AllTraffic", "Challenger"):
        dimensions = [{"Name": "EndpointName", "Value": "fraud-prod"}, {"Name": "VariantName", "Value": variant}]
        for minute in range(SAMPLES):
            stamp = START + timedelta(minutes=minute, seconds=5)
            data = [
                {"MetricName": m, "Dimensions": dimensions, "Timestamp": stamp, "Value": _value(m, rng)}
                for m in metrics
            ]
            client.put_metric_data(Namespace="AWS/SageMaker", MetricData=data)


def _value(metric: str, rng: random.Random) -> float:
    if metric == "Invocations":
        return rng.uniform(9000, 11000)
    return rng.uniform(0, 20) if metric in RATIOS else rng.uniform(50000, 150000)


def main(ticks: int = 200) -> dict[str, float]:
    compared = cpu_per_tick(Analysis(checks(compared=True)), PROGRESSIVE, ticks)
    thresholds = cpu_per_tick(Analysis(checks(compared=False)), BLUE_GREEN, ticks)
    calls, verdict = calls_per_tick(Analysis(checks(compared=True)))
    print(f"analysis tick, 10 checks x 2 variants x {SAMPLES} samples: {compared:.2f} ms CPU (one core)")
    print(f"baseline, the same checks as thresholds on one variant: {thresholds:.2f} ms CPU")
    print(f"AWS calls per tick against moto: {dict(calls)} (bar: exactly 1 GetMetricData); verdict {verdict}")
    if calls != Counter({"GetMetricData": 1}):
        sys.exit(1)
    return {"tick_ms": compared, "thresholds_ms": thresholds, "calls": float(sum(calls.values()))}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
