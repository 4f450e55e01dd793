"""One release driven from Approved to LIVE through the handlers, as the benchmarks need it (moto running)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

GROUP = "fraud-detection-models"
ANSWERS = ('{"predictions": [{"score": 0.03}]}', "0.97\n")


def drive_release(name: str, container: Any, counter: Counter[str]) -> None:
    """Setup calls (registering, moto's answers) are made with clients outside the container: not counted."""
    import boto3
    from moto.sagemakerruntime.models import sagemakerruntime_backends

    from chalicelib.handlers import on_endpoint_state_change, on_model_package_decided
    from devstack import seed

    sagemaker = boto3.client("sagemaker")
    if not sagemaker.list_model_package_groups()["ModelPackageGroupSummaryList"]:
        seed.create_group(sagemaker)
    arn = seed.register_version(sagemaker, None, name)
    sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    runtime = sagemakerruntime_backends["123456789012"]["us-east-1"]
    runtime.results.clear()
    runtime.results_queue = [(body, "application/json", "AllTraffic", "") for body in ANSWERS]
    inside_canary_window = datetime.now(UTC) + timedelta(seconds=30)
    boto3.client("cloudwatch").put_metric_data(
        Namespace="AWS/SageMaker",
        MetricData=[
            {
                "MetricName": "Invocations",
                "Value": 500,
                "Timestamp": inside_canary_window,
                "Dimensions": [
                    {"Name": "EndpointName", "Value": "fraud-detection-prod"},
                    {"Name": "VariantName", "Value": "AllTraffic"},
                ],
            }
        ],
    )
    detail = {"ModelPackageArn": arn, "ModelApprovalStatus": "Approved"}
    on_model_package_decided({"id": "a", "detail": detail}, None)
    for endpoint in ("fraud-detection-staging", "fraud-detection-prod"):
        on_endpoint_state_change({"id": "e", "detail": {"EndpointName": endpoint}}, None)
    own = counter.copy()  # the benchmark's own reads and writes below are not the flow's
    state = container.release_store.load(GROUP)
    assert state.release.stage.value == "WATCHING", state.release
    container.release_store.save(_watch_over(state))  # end the watch window so the next release may start
    counter.clear()
    counter.update(own)


def _watch_over(state: Any) -> Any:
    from dataclasses import replace

    from chalicelib.release.state import Stage

    return replace(state, release=replace(state.release, stage=Stage.LIVE))
