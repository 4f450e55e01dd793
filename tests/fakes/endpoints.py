"""Endpoints that take time, as SageMaker's do: a create or update stays in progress until the test settles it.

Settling ends it InService on the new config, Failed (a create SageMaker could not finish; such an endpoint
can only be deleted), rolled back (InService on the old config with a FailureReason: a guardrail alarm) or
UpdateRollbackFailed (the rollback itself failed; no update is taken until an operator recovers it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.policy import Deployment
from chalicelib.release.ports import EndpointView
from chalicelib.shared.errors import ProductionBusyError, ReleaseStepError

IN_PROGRESS = frozenset({"Creating", "Updating", "RollingBack", "SystemUpdating"})
SETTLEMENTS = ("in_service", "failed", "rolled_back", "update_rollback_failed")


@dataclass
class SettlingEndpoints:
    endpoints: dict[str, EndpointView] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)  # endpoint -> the config it is moving to
    deploys: list[tuple[str, str]] = field(default_factory=list)  # every accepted Create/UpdateEndpoint
    configs: set[str] = field(default_factory=set)
    on_change: Callable[[str], None] = lambda name: None  # "SageMaker Endpoint State Change"
    before_deploy: Callable[[str, str], None] = lambda name, config: None  # lets a test judge each deploy

    def create_model(self, name: str, package_arn: str, role_arn: str) -> None:
        return None

    def create_config(self, name: str, spec: EndpointSpec, model: str) -> None:
        self.configs.add(name)

    def describe(self, name: str) -> EndpointView | None:
        return self.endpoints.get(name)

    def deploy(self, name: str, config: str, deployment: Deployment | None = None) -> None:
        view = self.endpoints.get(name)
        if view is not None and view.status in IN_PROGRESS:
            raise ProductionBusyError(f"update_endpoint {name}: Cannot update in-progress endpoint")
        if view is not None and view.status == "Failed":
            raise ReleaseStepError(f"update_endpoint: ValidationException: {name} is Failed: it can only be deleted")
        if view is not None and view.status == "UpdateRollbackFailed":
            raise ReleaseStepError(f"update_endpoint: ValidationException: {name} is UpdateRollbackFailed")
        self.before_deploy(name, config)
        self.deploys.append((name, config))
        self.pending[name] = config
        status = "Creating" if view is None else "Updating"
        self.endpoints[name] = EndpointView(status, view.config if view else config)
        self.on_change(name)

    def delete(self, name: str) -> None:
        """DeleteEndpoint (all SageMaker takes for a Failed one): gone, so its configs may be deployed afresh."""
        if self.endpoints.pop(name, None) is None:
            raise ReleaseStepError(f"delete_endpoint: ValidationException: Could not find endpoint {name}")
        self.pending.pop(name, None)
        self.deploys[:] = [deploy for deploy in self.deploys if deploy[0] != name]
        self.on_change(name)

    def settle(self, name: str, how: str) -> bool:
        """End the endpoint's create or update as `how` says (one of SETTLEMENTS); False if none was running."""
        view = self.endpoints.get(name)
        if view is None or view.status not in IN_PROGRESS:
            return False
        target = self.pending.pop(name)
        creating = view.status == "Creating"
        if how == "in_service":
            self.endpoints[name] = EndpointView("InService", target)
        elif how == "failed" or (creating and how != "in_service"):
            self.endpoints[name] = EndpointView("Failed", target, "CannotStartContainerError: out of memory")
        elif how == "rolled_back":
            self.endpoints[name] = EndpointView("InService", view.config, "Update rolled back: alarm fired")
        else:
            self.endpoints[name] = EndpointView("UpdateRollbackFailed", view.config, "rollback failed: capacity")
        self.on_change(name)
        return True

    def recover(self, name: str) -> bool:
        """An operator's repair: a Failed endpoint is deleted, an UpdateRollbackFailed one returns to InService."""
        view = self.endpoints.get(name)
        if view is None or view.status not in ("Failed", "UpdateRollbackFailed"):
            return False
        if view.status == "Failed":
            del self.endpoints[name]
        else:
            self.endpoints[name] = EndpointView("InService", view.config)
        self.on_change(name)
        return True
