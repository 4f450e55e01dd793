"""Endpoints that run the model in their artifact, as SageMaker's hosting does, for the images it can emulate.

When an endpoint comes up on a config (CreateEndpoint, or an UpdateEndpoint's new fleet), `prepare` finds
each variant's model (production and shadow variants: its container, or the model package it names),
downloads the model.tar.gz from (local) S3, unpacks it and loads it in the emulated container
(devstack.moto_ext.model_containers). A missing or unreadable artifact is a failure reason: the endpoint
ends Failed (a create) or back on its old config (an update), as SageMaker's would. Invocations then run
the variant's model: `invoke` answers what the container answers, in the real time it takes. An image no
container emulates is remembered, so its invocations can say what to do instead.

Off until `enable()`: in-process tests keep moto's canned answers; the local stack and the demo turn it on.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devstack.moto_ext.model_containers import Answer, ArtifactError, Container, container_for, unpack
from devstack.moto_ext.model_specs import ContainerSpec, container_specs, model_spec

Key = tuple[str, str, str, str]  # account, region, "config/<name>" or "model/<name>", variant ("" for a model)


@dataclass
class _Served:
    container: Container
    lock: threading.Lock  # one request at a time per model, as one container worker serves


_state: dict[str, bool] = {"enabled": False}
_served: dict[Key, _Served] = {}
_unserved: dict[Key, str] = {}  # the image of a config no container emulates
_lock = threading.Lock()


def enable(on: bool = True) -> None:
    _state["enabled"] = on


def enabled() -> bool:
    return _state["enabled"]


def reset() -> None:
    with _lock:
        _served.clear()
        _unserved.clear()


def prepare(backend: Any, config_name: str, answered: Callable[[str], bool] = lambda variant: False) -> str | None:
    """Load the model each variant of the config serves, but those `answered` by a configured answer; the
    FailureReason when one cannot be served, else None."""
    if not enabled():
        return None
    for variant, spec in container_specs(backend, config_name).items():
        key = (backend.account_id, backend.region_name, f"config/{config_name}", variant)
        if key in _served or key in _unserved or answered(variant):
            continue
        if reason := _prepare(backend, key, spec):
            return reason
    return None


def prepare_model(backend: Any, model_name: str) -> str | None:
    """`prepare` for a model a transform job names (no endpoint config): loaded once per model."""
    key = (backend.account_id, backend.region_name, f"model/{model_name}", "")
    if not enabled() or key in _served or key in _unserved:
        return None
    return _prepare(backend, key, model_spec(backend, backend._models.get(model_name)))


def invoke_model(
    account: str, region: str, model_name: str, request: tuple[bytes, str | None, str | None]
) -> Answer | None:
    return _invoke((account, region, f"model/{model_name}", ""), request)


def _invoke(key: Key, request: tuple[bytes, str | None, str | None]) -> Answer | None:
    served = _served.get(key)
    if served is None:
        return None
    with served.lock:
        return served.container.invoke(*request)


def _prepare(backend: Any, key: Key, spec: ContainerSpec | None) -> str | None:
    if spec is None:
        return None
    try:
        container = _load(spec.artifact_account or backend.account_id, spec)
    except ArtifactError as error:
        return str(error)
    with _lock:
        if container is None:
            _unserved[key] = spec.image
        else:
            _served[key] = _Served(container, threading.Lock())
    return None


def invoke(
    endpoint: Any, account: str, region: str, request: tuple[bytes, str | None, str | None], variant: str | None = None
) -> Answer | None:
    """What the variant's model (the first production variant's by default) answers on the endpoint's current
    config; None when no model is loaded for it."""
    return _invoke(_endpoint_key(endpoint, account, region, variant), request)


def unserved_image(endpoint: Any, account: str, region: str, variant: str | None = None) -> str | None:
    return _unserved.get(_endpoint_key(endpoint, account, region, variant))


def _endpoint_key(endpoint: Any, account: str, region: str, variant: str | None) -> Key:
    if variant is None:
        variant = endpoint.production_variants[0]["VariantName"] if endpoint.production_variants else ""
    return account, region, f"config/{endpoint.endpoint_config_name}", variant


def _load(account: str, spec: ContainerSpec) -> Container | None:
    from devstack.moto_ext.model_containers import framework_of

    if framework_of(spec.image) is None:
        return None
    if not spec.model_data_url:
        raise ArtifactError("The primary container did not pass the ping health check: it has no ModelDataUrl")
    archive = _download(account, spec.model_data_url)
    with tempfile.TemporaryDirectory(prefix="shepherd-model-") as directory:
        unpack(archive, Path(directory), spec.model_data_url)
        return container_for(spec.image, Path(directory), spec.environment)


def _download(account: str, url: str) -> bytes:
    from moto.s3.models import s3_backends

    bucket, _, key = url.removeprefix("s3://").partition("/")
    try:
        found = s3_backends[account]["global"].get_object(bucket, key)
    except Exception:  # noqa: BLE001 - moto raises its own MissingBucket: any miss is the same failure
        found = None
    if found is None:
        raise ArtifactError(
            f'Failed to download model data for container "container_1" from URL: "{url}". Please ensure that '
            f"there is an object located at the URL and that the role passed to CreateModel has permissions "
            f"to download the model."
        )
    data: bytes = found.value
    return data
