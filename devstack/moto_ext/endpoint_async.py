"""InvokeEndpointAsync as SageMaker serves it: the request read from its S3 InputLocation, answered by the
endpoint's model (or its configured answer, failures and latency: devstack.moto_ext.endpoint_runtime), and the
answer written where the endpoint config's AsyncInferenceConfig says: `<S3OutputPath>/<id>.out`, or a failure
at `<S3FailurePath>/<id>-error.out`. The call returns at once with both locations; the object appears after
the endpoint's latency, as an asynchronous endpoint's would. moto answers any endpoint with canned data in a
bucket of its own, never reading the input.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import unquote

from devstack.moto_ext import model_serving
from devstack.moto_ext.endpoint_lifecycle import run_after
from devstack.moto_ext.endpoint_runtime import (
    behaviour_for,
    count_invocation,
    injected_failure,
    served_endpoint,
)
from devstack.moto_ext.model_answers import unserved_advice
from devstack.moto_ext.patching import Method, Patch, Wrap


def patches() -> list[Patch]:
    from moto.sagemakerruntime.responses import SageMakerRuntimeResponse

    gap = "async invocations ignore the endpoint's output path"
    return [Wrap(SageMakerRuntimeResponse, "invoke_endpoint_async", _invoke_async, gap=gap)]


def _invoke_async(call_next: Method, response: Any) -> Any:
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.models import sagemaker_backends

    runtime = response.sagemakerruntime_backend
    account, region = runtime.account_id, runtime.region_name
    endpoint = served_endpoint(runtime, unquote(response.path.split("/")[2]))  # /endpoints/<name>/async-invocations
    config = sagemaker_backends[account][region].endpoint_configs[endpoint.endpoint_config_name]
    output = (config.async_inference_config or {}).get("OutputConfig")
    if not output:
        raise ValidationError(message=f"Endpoint {endpoint.endpoint_name} is not an asynchronous inference endpoint.")
    inference = response.headers.get("X-Amzn-SageMaker-Inference-Id") or str(uuid.uuid4())
    answer_at = f"{output['S3OutputPath'].rstrip('/')}/{inference}.out"
    failure_at = f"{output.get('S3FailurePath', output['S3OutputPath']).rstrip('/')}/{inference}-error.out"
    request = (
        response.headers.get("X-Amzn-SageMaker-InputLocation", ""),
        response.headers.get("X-Amzn-SageMaker-Content-Type"),
        response.headers.get("X-Amzn-SageMaker-Accept"),
    )
    behaviour = behaviour_for(endpoint)

    def answer() -> None:
        failed = injected_failure(behaviour)
        variant = endpoint.production_variants[0]["VariantName"] if endpoint.production_variants else ""
        count_invocation(account, region, endpoint.endpoint_name, variant, failed)
        body, error = _answer(endpoint, account, region, request, behaviour.response, failed)
        _put(account, failure_at if error else answer_at, error.encode() if error else body)

    run_after(behaviour.latency_ms / 1000, answer)
    headers = {"X-Amzn-SageMaker-OutputLocation": answer_at, "X-Amzn-SageMaker-FailureLocation": failure_at}
    return 202, headers, json.dumps({"InferenceId": inference})


def _answer(
    endpoint: Any,
    account: str,
    region: str,
    request: tuple[str, str | None, str | None],
    configured: str | None,
    failed: bool,
) -> tuple[bytes, str | None]:
    """The answer's body, or why there is none (what the failure object holds)."""
    if failed:
        return b"", f"Received server error (500) from primary: injected failure ({endpoint.endpoint_name})"
    body = _get(account, request[0])
    if body is None:
        return b"", f"Failed to download the input from {request[0]}"
    if configured is not None:
        return configured.encode(), None
    answer = model_serving.invoke(endpoint, account, region, (body, request[1], request[2]))
    if answer is None:
        image = model_serving.unserved_image(endpoint, account, region)
        return b"", unserved_advice(endpoint.endpoint_name, image) if image else "no model is served here"
    if not 200 <= answer.status < 300:
        text = answer.body.decode("utf-8", errors="replace")
        return b"", f'Received error ({answer.status}) from primary with message "{text}"'
    return answer.body, None


def _get(account: str, uri: str) -> bytes | None:
    from moto.s3.models import s3_backends

    bucket, _, key = uri.removeprefix("s3://").partition("/")
    try:
        found = s3_backends[account]["aws"].get_object(bucket, key)
    except Exception:  # noqa: BLE001 - moto raises its own MissingBucket/MissingKey: any miss is the same failure
        return None
    return None if found is None else bytes(found.value)


def _put(account: str, uri: str, body: bytes) -> None:
    from moto.s3.models import s3_backends

    bucket, _, key = uri.removeprefix("s3://").partition("/")
    s3_backends[account]["aws"].put_object(bucket, key, body)
