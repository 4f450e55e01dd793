"""Whether an endpoint already runs on the target the policy gives it: instances or serverless.

SageMaker cannot update an endpoint between the two (UpdateEndpoint from a real-time to a serverless config is
refused), so a group whose policy changes target meets its old endpoints: staging is the engine's own and is
replaced; production serves customers and is never deleted for it."""

from __future__ import annotations

from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.ports import Endpoints, EndpointView
from chalicelib.shared.errors import ReleaseStepError


def other_target(view: EndpointView, spec: EndpointSpec) -> bool:
    return view.serverless is not None and view.serverless != (spec.serverless is not None)


def refuse_production_of_another_target(spec: EndpointSpec, endpoints: Endpoints) -> None:
    """Refused before staging is spent on a release that could not reach production."""
    serving = endpoints.describe(spec.name)
    if serving is not None and other_target(serving, spec):
        kind = "serverless" if serving.serverless else "on instances"
        raise ReleaseStepError(
            f"production endpoint {spec.name} is {kind}: SageMaker cannot update it to the policy's target; "
            "give release.production a new endpoint_name (or delete the endpoint) to change targets"
        )
