"""InvokeEndpoint as SageMaker serves it: routed to a variant, answered by its model, counted per variant.

moto answers any endpoint name, existing or not, with a static body. Here an unknown endpoint is an
error, as in AWS; a request goes to a production variant by weight, or to its `TargetVariant`
(devstack.moto_ext.variant_routing), which answers and is named in `InvokedProductionVariant`; shadow
variants get their sampled copy, answered and counted but never returned. Each variant behaves as
configured (devstack.moto_ext.endpoint_behaviour: a fixed answer, injected errors and latency), else runs
the model in its artifact when the local stack can (devstack.moto_ext.model_serving), else answers as moto
does. Every invocation, shadow copies included, is in CloudWatch as SageMaker publishes it
(devstack.moto_ext.endpoint_metrics): the release engine reads the variants' traffic there.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from devstack.moto_ext import endpoint_behaviour, endpoint_metrics
from devstack.moto_ext.endpoint_behaviour import TAG_PREFIX, EndpointBehaviour, behaviour_for, configure
from devstack.moto_ext.endpoint_metrics import Invocation, invocation_count
from devstack.moto_ext.model_answers import ModelError, from_model
from devstack.moto_ext.patching import Method, Patch, Wrap
from devstack.moto_ext.variant_routing import Route, RoutingError, route

__all__ = ["TAG_PREFIX", "EndpointBehaviour", "behaviour_for", "configure", "invocation_count"]
Answer = tuple[str, str, str, str]  # body, Content-Type, the variant that answered, custom attributes

_request = threading.local()  # this thread's InvokeEndpoint: (body, Content-Type, Accept), TargetVariant
_lock = threading.Lock()
_random = random.Random(7)  # seeded: an injected error rate gives the same sequence every run
_routing = random.Random(11)  # seeded apart: routing draws leave the injected errors' sequence as it was
sleep: Callable[[float], None] = time.sleep


def reset() -> None:
    endpoint_behaviour.reset()
    endpoint_metrics.reset()
    with _lock:
        _random.seed(7)
        _routing.seed(11)


def patches() -> list[Patch]:
    from moto.sagemakerruntime.models import SageMakerRuntimeBackend
    from moto.sagemakerruntime.responses import SageMakerRuntimeResponse

    return [
        Wrap(SageMakerRuntimeBackend, "invoke_endpoint", _invoke, gap="any endpoint answers, uncounted"),
        Wrap(SageMakerRuntimeResponse, "invoke_endpoint", _name_from_path, gap="invocations lose the endpoint name"),
    ]


def _name_from_path(call_next: Method, response: Any) -> Any:
    # moto 5.2.5 reads EndpointName from the parameters, where a URI-path member never is; and hands its
    # backend neither the Content-Type, the raw body nor the TargetVariant (kept for this thread).
    response._get_params = _with_path_endpoint(response)
    body = getattr(response, "raw_body", None) or response.body or b""
    _request.current = (
        body if isinstance(body, bytes) else str(body).encode(),
        response.headers.get("Content-Type"),
        response.headers.get("Accept"),
    )
    _request.target = response.headers.get("X-Amzn-SageMaker-Target-Variant")
    try:
        return call_next(response)
    finally:
        _request.current = _request.target = None


def _invoke(call_next: Method, backend: Any, endpoint_name: str, unique_repr: bytes) -> Answer:
    endpoint = served_endpoint(backend, endpoint_name)
    chosen = _route(backend, endpoint, getattr(_request, "target", None))
    try:
        return _answer(call_next, backend, endpoint, chosen.variant, unique_repr, wait=True)
    finally:
        for shadow in chosen.shadows:  # the caller's request was copied: the copy's fate never reaches them
            with suppress(ModelError):  # counted under the shadow's name; SageMaker drops its answer, error or not
                _answer(call_next, backend, endpoint, shadow, unique_repr, wait=False)


def _route(backend: Any, endpoint: Any, target: str | None) -> Route:
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.models import sagemaker_backends

    config = sagemaker_backends[backend.account_id][backend.region_name].endpoint_configs.get(
        endpoint.endpoint_config_name
    )
    # Shadows live on the config the endpoint serves (devstack.moto_ext.endpoint_variants keeps them there).
    shadows = getattr(endpoint, "shadow_production_variants", None) or getattr(
        config, "shadow_production_variants", None
    )
    if not shadows and not target and len(endpoint.production_variants) <= 1:  # most calls: nothing to draw
        return Route(endpoint.production_variants[0]["VariantName"] if endpoint.production_variants else "")
    try:
        with _lock:
            shown = {**_described(endpoint), "ShadowProductionVariants": _shown_shadows(backend, endpoint)}
            return route(shown, _described(config), target, _routing.random)
    except RoutingError as error:
        raise ValidationError(message=str(error)) from error


def _shown_shadows(backend: Any, endpoint: Any) -> Any:
    """The shadows DescribeEndpoint shows: those of the config the endpoint serves now."""
    from moto.sagemaker.models import sagemaker_backends

    from devstack.moto_ext.endpoint_variants import shadows_of

    shown = getattr(endpoint, "shadow_production_variants", None)
    return shown or shadows_of(sagemaker_backends[backend.account_id][backend.region_name], endpoint) or None


def _described(resource: Any) -> dict[str, Any]:
    """The variants DescribeEndpoint (DescribeEndpointConfig) shows: moto answers with the attributes of
    these names, camel-cased, without the cost of building the whole answer on every invocation."""
    return {
        "EndpointName": getattr(resource, "endpoint_name", None),
        "ProductionVariants": getattr(resource, "production_variants", None),
        "ShadowProductionVariants": getattr(resource, "shadow_production_variants", None),
    }


def _answer(call_next: Method, backend: Any, endpoint: Any, variant: str, unique_repr: bytes, wait: bool) -> Answer:
    """One variant's answer, counted. A shadow copy (`wait` False) keeps its injected latency off the caller's
    time, as SageMaker answers the caller without waiting for the shadow: its ModelLatency still holds it."""
    behaviour = behaviour_for(endpoint, variant)
    if behaviour.latency_ms and wait:
        sleep(behaviour.latency_ms / 1000)
    started, error_status = time.perf_counter(), None
    try:
        if injected_failure(behaviour):
            raise ModelError(f"Received server error (500) from primary: injected failure ({endpoint.endpoint_name})")
        if behaviour.response is not None:
            return behaviour.response, behaviour.content_type, variant, ""
        answer: Answer = from_model(
            call_next, backend, endpoint, unique_repr, variant, getattr(_request, "current", None)
        )
        return answer
    except ModelError as error:
        error_status = error.original_status
        raise
    finally:
        measured = int((time.perf_counter() - started) * 1_000_000) + behaviour.latency_ms * 1000
        where = (backend.account_id, backend.region_name, endpoint.endpoint_name, variant)
        endpoint_metrics.record(Invocation(*where, error_status=error_status, latency_us=measured))


def injected_failure(behaviour: EndpointBehaviour) -> bool:
    with _lock:
        return _random.random() < behaviour.error_rate


def count_invocation(account: str, region: str, endpoint: str, variant: str, failed: bool) -> None:
    """An invocation answered elsewhere (an asynchronous one): counted, its latency not measured."""
    endpoint_metrics.record(Invocation(account, region, endpoint, variant, error_status=500 if failed else None))


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
