"""A batch release's steps, in the release machine's terms: the smoke transform job is staging (Completed is
InService, Failed or Stopped is Failed, none is Missing), its output objects are what the smoke tests judge,
and the SSM parameter is production (publishing it is the deploy, naming the release's model is InService).

Each smoke test judges the output of the input object named after it (`<input_path>/<test name>` becomes
`<job output>/<test name>.out`, as SageMaker names outputs); a policy without smoke tests needs some output.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.release.batch_ports import BatchPorts, OutputObject
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.machine import IN_SERVICE, MISSING, EndpointSeen
from chalicelib.release.names import model_of_production_config, production_config_of
from chalicelib.release.policy import ReleasePolicy, SmokeTest
from chalicelib.release.ports import EndpointView
from chalicelib.release.production_parameter import PublishedModel, parameter_value, published_model
from chalicelib.release.smoke import Invocation, check
from chalicelib.release.state import Deployed, Release
from chalicelib.shared.errors import ReleaseStepError

JOB = "transform job"
STATUS_AS_ENDPOINT = {"Completed": IN_SERVICE, "Failed": "Failed", "Stopped": "Failed"}  # else still running


def ports(deps: ReleaseDeps) -> BatchPorts:
    if deps.batch is None:
        raise ReleaseStepError("this deployment has no transform job or parameter adapters for a batch target")
    return deps.batch


def staging_seen(release: Release, now: datetime, deps: ReleaseDeps) -> EndpointSeen:
    view = ports(deps).jobs.describe(release.staging_config)
    if view is None:
        return EndpointSeen(now, "staging", MISSING, None, kind=JOB)
    failure = view.failure_reason or ("stopped" if view.status == "Stopped" else None)
    status = STATUS_AS_ENDPOINT.get(view.status, "Creating")
    return EndpointSeen(now, "staging", status, release.staging_config, failure, kind=JOB)


def production_view(group: str, deps: ReleaseDeps) -> EndpointView | None:
    """The parameter as an endpoint: InService on the published model's config; None before any release."""
    value = ports(deps).parameter.read(group)
    if value is None:
        return None
    published = published_model(value)
    return EndpointView(IN_SERVICE, production_config_of(published.model_name) if published else None)


def start_job(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> None:
    assert policy.batch is not None
    deps.endpoints.create_model(release.model, release.arn, policy.execution_role_arn)
    ports(deps).jobs.start(release.staging_config, policy.batch, release.model)


def publish(group: str, target: Deployed | Release, deps: ReleaseDeps) -> None:
    model = target.model if isinstance(target, Release) else model_of_production_config(target.config)
    ports(deps).parameter.publish(group, parameter_value(PublishedModel(target.version, target.arn, model)))


def smoke_failures(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> tuple[str, ...]:
    job = release.staging_config
    view = ports(deps).jobs.describe(job)
    if view is None or view.status != "Completed":
        return (f"the smoke {JOB} {job} is {view.status if view else 'gone'}",)
    outputs = ports(deps).outputs.read(view.output_path)
    if not outputs:
        return (f"the smoke {JOB} {job} wrote no output under {view.output_path}",)
    failures: list[str] = []
    for test in policy.smoke_tests:
        failures.extend(_judged(test, outputs, view.output_path))
    return tuple(failures)


def _judged(test: SmokeTest, outputs: tuple[OutputObject, ...], path: str) -> list[str]:
    name = test.name
    found = [output for output in outputs if output.key.rsplit("/", 1)[-1] == f"{name}.out"]
    if not found:
        return [f"{name}: no output {name}.out under {path}"]
    # No HTTP status or latency in a transform job's output: the test's other checks judge it.
    batch_test = replace(test, expect_status=200, max_latency_ms=None)
    return check(batch_test, Invocation(200, found[0].body, test.accept or test.content_type, 0.0))
