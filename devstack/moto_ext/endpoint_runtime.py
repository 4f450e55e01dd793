"""InvokeEndpoint with a configurable answer per endpoint, and injected failures and latency.

moto answers any endpoint name, existing or not, with a static body. Here an unknown endpoint is an
error, as in AWS, and each endpoint's behaviour comes from `configure(name, ...)` (Python) or from
its tags, which any client can set on CreateEndpoint or AddTags:
  shepherd-local:response     the body returned          shepherd-local:error-rate   0..1 ModelError
  shepherd-local:latency-ms   added before answering     shepherd-local:create-fails "true": Failed
  shepherd-local:response-base64   the body, base64-encoded: a tag value cannot hold JSON (AWS allows
                                   only letters, digits, spaces and _.:/=+-@ in it), base64 fits
An endpoint with neither runs the model in its artifact when the local stack can
(devstack.moto_ext.model_serving; on in the local stack), else answers as moto does. Every invocation
is counted into CloudWatch as SageMaker counts it (AWS/SageMaker `Invocations`, and `Invocation5XXErrors`
for a ModelError, per EndpointName and VariantName): the release engine reads the canary's traffic there.
"""

from __future__ import annotations

import base64
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from devstack.moto_ext.model_answers import ModelError, from_model
from devstack.moto_ext.patching import Method, Patch, Wrap

TAG_PREFIX = "shepherd-local:"


@dataclass(frozen=True)
class EndpointBehaviour:
    response: str | None = None
    content_type: str = "application/json"
    error_rate: float = 0.0
    latency_ms: int = 0
    create_fails: bool = False


_configured: dict[str, EndpointBehaviour] = {}
_counts: dict[tuple[str, str, str], int] = {}  # invocations per account, region and endpoint, ever
_request = threading.local()  # this thread's InvokeEndpoint: body, Content-Type, Accept
_lock = threading.Lock()
_random = random.Random(7)  # seeded: an injected error rate gives the same sequence every run
sleep: Callable[[float], None] = time.sleep


def configure(endpoint_name: str, **fields: Any) -> EndpointBehaviour:
    with _lock:
        _configured[endpoint_name] = replace(_configured.get(endpoint_name, EndpointBehaviour()), **fields)
        return _configured[endpoint_name]


def reset() -> None:
    with _lock:
        _configured.clear()
        _counts.clear()


def invocation_count(account: str, region: str, endpoint: str) -> int:
    return _counts.get((account, region, endpoint), 0)


def behaviour_for(endpoint: Any) -> EndpointBehaviour:
    tags = {
        tag["Key"][len(TAG_PREFIX) :]: tag["Value"] for tag in endpoint.tags or [] if tag["Key"].startswith(TAG_PREFIX)
    }
    with _lock:
        base = _configured.get(endpoint.endpoint_name, EndpointBehaviour())
    return replace(
        base,
        response=_decoded(tags["response-base64"])
        if "response-base64" in tags
        else tags.get("response", base.response),
        error_rate=float(tags.get("error-rate", base.error_rate)),
        latency_ms=int(tags.get("latency-ms", base.latency_ms)),
        create_fails=tags.get("create-fails", str(base.create_fails)).lower() == "true",
    )


def _decoded(value: str) -> str:
    return base64.b64decode(value).decode()


def patches() -> list[Patch]:
    from moto.sagemakerruntime.models import SageMakerRuntimeBackend
    from moto.sagemakerruntime.responses import SageMakerRuntimeResponse

    return [
        Wrap(SageMakerRuntimeBackend, "invoke_endpoint", _invoke, gap="any endpoint answers, uncounted"),
        Wrap(SageMakerRuntimeResponse, "invoke_endpoint", _name_from_path, gap="invocations lose the endpoint name"),
    ]


def _name_from_path(call_next: Method, response: Any) -> Any:
    # moto 5.2.5 reads EndpointName from the parameters, where a URI-path member never is; and hands its
    # backend neither the Content-Type nor the raw body, which a model needs (kept for this thread).
    response._get_params = _with_path_endpoint(response)
    body = getattr(response, "raw_body", None) or response.body or b""
    _request.current = (
        body if isinstance(body, bytes) else str(body).encode(),
        response.headers.get("Content-Type"),
        response.headers.get("Accept"),
    )
    try:
        return call_next(response)
    finally:
        _request.current = None


def _invoke(call_next: Method, backend: Any, endpoint_name: str, unique_repr: bytes) -> tuple[str, str, str, str]:
    endpoint = served_endpoint(backend, endpoint_name)
    behaviour = behaviour_for(endpoint)
    if behaviour.latency_ms:
        sleep(behaviour.latency_ms / 1000)
    failed = injected_failure(behaviour)
    variant = endpoint.production_variants[0]["VariantName"] if endpoint.production_variants else ""
    count_invocation(backend.account_id, backend.region_name, endpoint_name, variant, failed)
    if failed:
        raise ModelError(f"Received server error (500) from primary: injected failure ({endpoint_name})")
    if behaviour.response is not None:
        return behaviour.response, behaviour.content_type, variant, ""
    answer: tuple[str, str, str, str] = from_model(
        call_next, backend, endpoint, unique_repr, variant, getattr(_request, "current", None)
    )
    return answer


def injected_failure(behaviour: EndpointBehaviour) -> bool:
    with _lock:
        return _random.random() < behaviour.error_rate


def count_invocation(account: str, region: str, endpoint: str, variant: str, failed: bool) -> None:
    from moto.cloudwatch.models import cloudwatch_backends

    dimensions = [{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": variant}]
    data = [{"MetricName": "Invocations", "Dimensions": dimensions, "Value": 1.0, "Unit": "None"}]
    if failed:
        data.append({"MetricName": "Invocation5XXErrors", "Dimensions": dimensions, "Value": 1.0, "Unit": "None"})
    cloudwatch_backends[account][region].put_metric_data("AWS/SageMaker", data)
    with _lock:
        _counts[(account, region, endpoint)] = _counts.get((account, region, endpoint), 0) + 1


def _with_path_endpoint(response: Any) -> Callable[[], dict[str, Any]]:
    from urllib.parse import unquote

    params = response._get_params

    def get_params() -> dict[str, Any]:
        found: dict[str, Any] = params()
        found.setdefault("EndpointName", None)
        if not found["EndpointName"]:
            found["EndpointName"] = unquote(response.path.split("/")[2])  # /endpoints/<name>/invocations
        return found

    return get_params


def served_endpoint(backend: Any, name: str) -> Any:
    """The endpoint an invocation names, refused as SageMaker refuses a missing or not serving one."""
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.models import sagemaker_backends

    endpoint = sagemaker_backends[backend.account_id][backend.region_name].endpoints.get(name)
    if endpoint is None:
        raise ValidationError(message=f"Endpoint {name} of account {backend.account_id} not found.")
    if endpoint.endpoint_status not in ("InService", "Updating", "RollingBack"):
        raise ValidationError(message=f"Endpoint {name} is {endpoint.endpoint_status}, not InService.")
    return endpoint
