"""Endpoints that behave like endpoints: Creating -> InService (or Failed) after a delay, with events.

moto makes an endpoint InService at once and says nothing. Here every transition is an
"SageMaker Endpoint State Change" event. Delays default to 0 (moto's own timing, for in-process
tests); the local stack configures real ones. `begin_update` is the hook an UpdateEndpoint
implementation calls: Updating now, then after the deploy and the bake InService on the new config,
or back on the old one when one of the DeploymentConfig's auto-rollback alarms is in ALARM.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from devstack.moto_ext import model_serving
from devstack.moto_ext.endpoint_runtime import behaviour_for, invocation_count
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
    # A bake also lasts until the endpoint has served this many calls since the update began (at most
    # BAKE_WAIT_LIMIT more seconds): a bake cut to seconds still sees the traffic ten minutes would have.
    bake_invocations: int = 0
    schedule: Schedule = run_after


LIFECYCLE = Lifecycle()
BAKE_WAIT_LIMIT = 30.0


def reset() -> None:
    """Endpoints come up at once again: a stack's timings must not outlive it in a process that goes on (a
    test worker that ran a stack in-process, then tests that expect moto's instant endpoints)."""
    configure(**vars(Lifecycle()))


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
    transition(backend, endpoint, "Creating")

    def come_up() -> None:
        injected = "injected failure: the container did not pass the ping health check"
        reason = (
            injected if behaviour_for(endpoint).create_fails else _cannot_serve(backend, endpoint, endpoint_config_name)
        )
        _settle(backend, endpoint, "Failed" if reason else "InService", reason)

    LIFECYCLE.schedule(LIFECYCLE.creating_seconds, come_up)
    return endpoint


def _cannot_serve(backend: Any, endpoint: Any, config_name: str) -> str | None:
    """Why the fleet cannot come up on this config: an artifact the emulated container cannot load."""
    if behaviour_for(endpoint).response is not None:
        return None  # a configured answer stands in for the model: nothing to load
    return model_serving.prepare(
        backend, config_name, lambda variant: behaviour_for(endpoint, variant).response is not None
    )


def _delete_with_event(call_next: Method, backend: Any, endpoint_name: str) -> None:
    endpoint = backend.endpoints.get(endpoint_name)
    if endpoint is not None:
        transition(backend, endpoint, "Deleting")
    call_next(backend, endpoint_name)


def begin_update(backend: Any, endpoint: Any, new_config_name: str, deployment: Mapping[str, Any] | None) -> None:
    """UpdateEndpoint's second half, called once the request is validated (devstack/moto_ext/endpoints.py).
    Blue/green: the old config serves until the new fleet is up and, with a DeploymentConfig, has baked;
    the auto-rollback alarms are read at the end of the bake, as SageMaker's guardrails would have fired."""
    old_config = endpoint.endpoint_config_name
    alarms = [alarm["AlarmName"] for alarm in (deployment or {}).get("AutoRollbackConfiguration", {}).get("Alarms", [])]
    endpoint.failure_reason = None
    transition(backend, endpoint, "Updating")
    served_before = invocation_count(backend.account_id, backend.region_name, endpoint.endpoint_name)
    bake = LIFECYCLE.bake_seconds if deployment else 0.0  # no DeploymentConfig: no traffic shifting to bake
    latest = time.monotonic() + LIFECYCLE.updating_seconds + bake + BAKE_WAIT_LIMIT

    def finish() -> None:
        reason = _cannot_serve(backend, endpoint, new_config_name)
        if reason:  # the new fleet never served: SageMaker keeps the old one and says why
            _settle(backend, endpoint, "InService", f"Update failed: {reason}", config=old_config)
            return
        served = invocation_count(backend.account_id, backend.region_name, endpoint.endpoint_name) - served_before
        if deployment and served < LIFECYCLE.bake_invocations and time.monotonic() < latest:
            LIFECYCLE.schedule(0.1, finish)  # the canary has not yet seen the traffic its bake stands for
            return
        firing = alarms_in_alarm(backend, alarms)
        if firing:
            transition(backend, endpoint, "RollingBack")
            reason = f"Update rolled back: alarm(s) {', '.join(firing)} in ALARM during deployment"
            _settle(backend, endpoint, "InService", reason, config=old_config)
        else:
            _settle(backend, endpoint, "InService", None, config=new_config_name)

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
    transition(backend, endpoint, status)


def transition(backend: Any, endpoint: Any, status: str) -> None:
    """The endpoint's new status, and its event (endpoint_variants moves it for a weights update too)."""
    from moto.core.utils import utcnow

    endpoint.endpoint_status = status
    endpoint.last_modified_time = utcnow()
    emit_endpoint(backend, endpoint)
