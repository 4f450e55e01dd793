"""InvokeEndpoint with a configurable answer per endpoint, and injected failures and latency.

moto answers any endpoint name, existing or not, with a static body. Here an unknown endpoint is an
error, as in AWS, and each endpoint's behaviour comes from `configure(name, ...)` (Python) or from
its tags, which any client can set on CreateEndpoint or AddTags:
  shepherd-local:response     the body returned          shepherd-local:error-rate   0..1 ModelError
  shepherd-local:latency-ms   added before answering     shepherd-local:create-fails "true": Failed
  shepherd-local:response-base64   the body, base64-encoded: a tag value cannot hold JSON (AWS allows
                                   only letters, digits, spaces and _.:/=+-@ in it), base64 fits
An endpoint with neither answers as moto does. Every invocation is counted into CloudWatch as SageMaker
counts it (AWS/SageMaker `Invocations`, and `Invocation5XXErrors` for a ModelError, per EndpointName and
VariantName): the release engine reads the canary's traffic from there.
"""

from __future__ import annotations

import base64
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from moto.core.exceptions import JsonRESTError

from devstack.moto_ext.patching import Method, Patch, Wrap

TAG_PREFIX = "shepherd-local:"


class ModelError(JsonRESTError):
    """What SageMaker answers when the model container fails the request."""

    code = 424

    def __init__(self, message: str) -> None:
        super().__init__("ModelError", message)


@dataclass(frozen=True)
class EndpointBehaviour:
    response: str | None = None
    content_type: str = "application/json"
    error_rate: float = 0.0
    latency_ms: int = 0
    create_fails: bool = False


_configured: dict[str, EndpointBehaviour] = {}
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
    # moto 5.2.5 reads EndpointName from the parameters, where a URI-path member never is.
    response._get_params = _with_path_endpoint(response)
    return call_next(response)


def _invoke(call_next: Method, backend: Any, endpoint_name: str, unique_repr: bytes) -> tuple[str, str, str, str]:
    endpoint = _endpoint(backend, endpoint_name)
    behaviour = behaviour_for(endpoint)
    if behaviour.latency_ms:
        sleep(behaviour.latency_ms / 1000)
    with _lock:
        failed = _random.random() < behaviour.error_rate
    variant = endpoint.production_variants[0]["VariantName"] if endpoint.production_variants else ""
    count_invocation(backend.account_id, backend.region_name, endpoint_name, variant, failed)
    if failed:
        raise ModelError(f"Received server error (500) from primary: injected failure ({endpoint_name})")
    if behaviour.response is None:
        answer: tuple[str, str, str, str] = call_next(backend, endpoint_name, unique_repr)
        return answer
    return behaviour.response, behaviour.content_type, variant, ""


def count_invocation(account: str, region: str, endpoint: str, variant: str, failed: bool) -> None:
    from moto.cloudwatch.models import cloudwatch_backends

    dimensions = [{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": variant}]
    data = [{"MetricName": "Invocations", "Dimensions": dimensions, "Value": 1.0, "Unit": "None"}]
    if failed:
        data.append({"MetricName": "Invocation5XXErrors", "Dimensions": dimensions, "Value": 1.0, "Unit": "None"})
    cloudwatch_backends[account][region].put_metric_data("AWS/SageMaker", data)


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


def _endpoint(backend: Any, name: str) -> Any:
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.models import sagemaker_backends

    endpoint = sagemaker_backends[backend.account_id][backend.region_name].endpoints.get(name)
    if endpoint is None:
        raise ValidationError(message=f"Endpoint {name} of account {backend.account_id} not found.")
    if endpoint.endpoint_status not in ("InService", "Updating", "RollingBack"):
        raise ValidationError(message=f"Endpoint {name} is {endpoint.endpoint_status}, not InService.")
    return endpoint
