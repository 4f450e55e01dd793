"""The smoke-test step: each of the policy's tests against staging, a throttled or failing call asked again
within the step's budget of waits."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.release.deps import ReleaseDeps, staging_deps
from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.policy import ReleasePolicy, SmokeTest
from chalicelib.release.smoke import Invocation, check
from chalicelib.shared.errors import ReleaseStepError
from chalicelib.shared.observability import count

SMOKE_RETRIES = 4  # per smoke-test step: waits of 0.5, 1, 2 and 4 s (7.5 s), shared by its tests
SMOKE_BACKOFF = 0.5


def run_smoke_tests(policy: ReleasePolicy, deps: ReleaseDeps) -> tuple[str, ...]:
    failures: list[str] = []
    waits = [SMOKE_BACKOFF * 2**attempt for attempt in range(SMOKE_RETRIES)]
    for test in policy.smoke_tests:
        failures.extend(check(test, _patiently(policy.staging, test, staging_deps(policy, deps), waits)))
    return tuple(failures)


def _patiently(endpoint: EndpointSpec, test: SmokeTest, deps: ReleaseDeps, waits: list[float]) -> Invocation:
    """A throttled or 5xx call is asked again after a growing pause, while the step's waits last.

    Those pauses are the step's budget, shared by its tests; a fault that outlasts them fails the test,
    saying so."""
    tries = 1
    answer = _ask(endpoint, test, deps)
    while answer.transient and waits:
        count("SmokeCallRetried")
        deps.sleep(waits.pop(0))
        answer, tries = _ask(endpoint, test, deps), tries + 1
    if answer.transient:
        return replace(answer, error=f"{answer.error}, still after {tries} attempt(s)")
    return answer


def _ask(endpoint: EndpointSpec, test: SmokeTest, deps: ReleaseDeps) -> Invocation:
    if endpoint.asynchronous is None:
        return deps.invoker.invoke(endpoint.name, test)
    if deps.async_invoker is None:
        raise ReleaseStepError("this deployment has no asynchronous invoker for an async target's smoke tests")
    return deps.async_invoker.invoke(endpoint.name, test, endpoint.asynchronous)
