"""Endpoints that behave like endpoints: Creating -> InService (or Failed) after a delay, with events.

moto makes an endpoint InService at once and says nothing. Here every transition is an
"SageMaker Endpoint State Change" event. Delays default to 0 (moto's own timing, for in-process
tests); the local stack configures real ones. `begin_update` is the hook an UpdateEndpoint
implementation calls: Updating now, then after the deploy and the bake InService on the new config,
or back on the old one when one of the DeploymentConfig's auto-rollback alarms is in ALARM.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from devstack.moto_ext.endpoint_runtime import behaviour_for
from devstack.moto_ext.patching import Method, Patch, Wrap
from devstack.moto_ext.sagemaker_events import emit_endpoint

Schedule = Callable[[float, Callable[[], None]], None]


def run_after(seconds: float, action: Callable[[], None]) -> None:
    if seconds <= 0:
        action()
        return
    timer = threading.Timer(seconds, action)
    timer.daemon = True  # a pending transition never keeps the process alive
    timer.start()


@dataclass
class Lifecycle:
    creating_seconds: float = 0.0  # CreateEndpoint: Creating -> InService
    updating_seconds: float = 0.0  # UpdateEndpoint: the new fleet comes up
    bake_seconds: float = 0.0  # blue/green bake; auto-rollback alarms are checked at its end
    schedule: Schedule = run_after


LIFECYCLE = Lifecycle()


def configure(**changes: Any) -> None:
    for name, value in changes.items():
        if not hasattr(LIFECYCLE, name):
            raise TypeError(f"unknown endpoint lifecycle setting {name!r}")
        setattr(LIFECYCLE, name, value)


def patches() -> list[Patch]:
    from moto.sagemaker.models import SageMakerModelBackend

    return [
        Wrap(SageMakerModelBackend, "create_endpoint", _create_in_time, gap="endpoints InService at once"),
        Wrap(SageMakerModelBackend, "delete_endpoint", _delete_with_event, gap="no endpoint events"),
    ]


def _create_in_time(call_next: Method, backend: Any, endpoint_name: str, endpoint_config_name: str, tags: Any) -> Any:
    endpoint = call_next(backend, endpoint_name, endpoint_config_name, tags)
    _transition(backend, endpoint, "Creating")
    fails = behaviour_for(endpoint).create_fails
    outcome = "Failed" if fails else "InService"
    reason = "injected failure: the container did not pass the ping health check" if fails else None
    LIFECYCLE.schedule(LIFECYCLE.creating_seconds, lambda: _settle(backend, endpoint, outcome, reason))
    return endpoint


def _delete_with_event(call_next: Method, backend: Any, endpoint_name: str) -> None:
    endpoint = backend.endpoints.get(endpoint_name)
    if endpoint is not None:
        _transition(backend, endpoint, "Deleting")
    call_next(backend, endpoint_name)


def begin_update(backend: Any, endpoint: Any, new_config_name: str, deployment: Mapping[str, Any] | None) -> None:
    """UpdateEndpoint's second half, called once the request is validated (devstack/moto_ext/endpoints.py).
    Blue/green: the old config serves until the new fleet is up and, with a DeploymentConfig, has baked;
    the auto-rollback alarms are read at the end of the bake, as SageMaker's guardrails would have fired."""
    old_config = endpoint.endpoint_config_name
    alarms = [alarm["AlarmName"] for alarm in (deployment or {}).get("AutoRollbackConfiguration", {}).get("Alarms", [])]
    endpoint.failure_reason = None
    _transition(backend, endpoint, "Updating")

    def finish() -> None:
        firing = alarms_in_alarm(backend, alarms)
        if firing:
            _transition(backend, endpoint, "RollingBack")
            reason = f"Update rolled back: alarm(s) {', '.join(firing)} in ALARM during deployment"
            _settle(backend, endpoint, "InService", reason, config=old_config)
        else:
            _settle(backend, endpoint, "InService", None, config=new_config_name)

    bake = LIFECYCLE.bake_seconds if deployment else 0.0  # no DeploymentConfig: no traffic shifting to bake
    LIFECYCLE.schedule(LIFECYCLE.updating_seconds + bake, finish)


def alarms_in_alarm(backend: Any, names: list[str]) -> list[str]:
    from moto.cloudwatch.models import cloudwatch_backends

    alarms = cloudwatch_backends[backend.account_id][backend.region_name].alarms
    return sorted(name for name in names if name in alarms and alarms[name].state_value == "ALARM")


def _settle(backend: Any, endpoint: Any, status: str, reason: str | None, config: str | None = None) -> None:
    if backend.endpoints.get(endpoint.endpoint_name) is not endpoint:
        return  # deleted (or replaced) while it was in transition: nothing to settle
    if config is not None and config != endpoint.endpoint_config_name:
        variants = backend.describe_endpoint_config(config)["ProductionVariants"]
        endpoint.endpoint_config_name = config
        endpoint.production_variants = endpoint._process_production_variants(variants)
    endpoint.failure_reason = reason
    _transition(backend, endpoint, status)


def _transition(backend: Any, endpoint: Any, status: str) -> None:
    from moto.core.utils import utcnow

    endpoint.endpoint_status = status
    endpoint.last_modified_time = utcnow()
    emit_endpoint(backend, endpoint)
