"""SageMaker's EventBridge events, which moto does not emit, put on moto's default event bus.

"SageMaker Model Package State Change" on every creation and every UpdateModelPackage, whoever the
client is (boto3, the SageMaker SDK, the CLI, the app itself): the hook sits in moto's backend, so it
serves the moto server and in-process `mock_aws` alike. Endpoint events are sent by
devstack.moto_ext.endpoint_lifecycle through `emit_endpoint`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from devstack.moto_ext.patching import Method, Patch, Replace, Wrap

SOURCE = "aws.sagemaker"
MODEL_PACKAGE_STATE_CHANGE = "SageMaker Model Package State Change"
ENDPOINT_STATE_CHANGE = "SageMaker Endpoint State Change"
# EventBridge spells endpoint statuses differently from DescribeEndpoint (AWS docs: "IN_SERVICE").
EVENT_STATUS = {
    "OutOfService": "OUT_OF_SERVICE",
    "Creating": "CREATING",
    "Updating": "UPDATING",
    "SystemUpdating": "SYSTEM_UPDATING",
    "RollingBack": "ROLLING_BACK",
    "InService": "IN_SERVICE",
    "Deleting": "DELETING",
    "Failed": "FAILED",
}


def patches() -> list[Patch]:
    from moto.events.utils import EventTemplateParser
    from moto.sagemaker.models import SageMakerModelBackend

    # moto 5.2.5 drops "account" from every event it delivers to a target; Lambda handlers read it.
    with_account = EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE.replace(
        '"source": "<source>",', '"source": "<source>", "account": "<account>",'
    )
    return [
        Replace(EventTemplateParser, "DEFAULT_EVENT_INPUT_TEMPLATE", with_account, gap="events lose their account"),
        Wrap(SageMakerModelBackend, "create_model_package", _emit_after, gap="no model package events"),
        Wrap(SageMakerModelBackend, "update_model_package", _emit_after, gap="no model package events"),
    ]


def _emit_after(call_next: Method, backend: Any, *args: Any, **kwargs: Any) -> str:
    arn: str = call_next(backend, *args, **kwargs)
    emit_model_package(backend, arn)
    return arn


def emit_model_package(backend: Any, arn: str) -> None:
    package = backend.describe_model_package(arn).gen_response_object()
    detail = {key: value for key, value in package.items() if value is not None}
    detail["ModelPackageArn"] = detail.pop("Arn", arn)
    put_event(backend, MODEL_PACKAGE_STATE_CHANGE, detail, [arn])


def emit_endpoint(backend: Any, endpoint: Any, status: str | None = None) -> None:
    detail = {
        "EndpointName": endpoint.endpoint_name,
        "EndpointArn": endpoint.arn,
        "EndpointConfigName": endpoint.endpoint_config_name,
        "ProductionVariants": endpoint.production_variants,
        "EndpointStatus": EVENT_STATUS.get(status or endpoint.endpoint_status, status or endpoint.endpoint_status),
        "CreationTime": _millis(endpoint.creation_time),
        "LastModifiedTime": _millis(endpoint.last_modified_time),
        "Tags": {tag["Key"]: tag["Value"] for tag in endpoint.tags or []},
    }
    if endpoint.failure_reason:
        detail["FailureReason"] = endpoint.failure_reason
    put_event(backend, ENDPOINT_STATE_CHANGE, detail, [endpoint.arn])


def put_event(backend: Any, detail_type: str, detail: dict[str, Any], resources: list[str]) -> None:
    from moto.events.models import events_backends

    entry = {
        "Source": SOURCE,
        "DetailType": detail_type,
        "Detail": json.dumps(detail, default=_iso),
        "Resources": resources,
    }
    events_backends[backend.account_id][backend.region_name].put_events([entry])


def _millis(value: Any) -> int | Any:
    return int(value.timestamp() * 1000) if isinstance(value, datetime) else value


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)
