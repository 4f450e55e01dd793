"""A throttled or 5xx smoke-test call is asked again within the step's waits; one that lasts fails, saying so."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.runtime import failed_invocation
from chalicelib.release.deps import release_policy
from chalicelib.release.policy import SmokeTest
from chalicelib.release.smoke import Invocation
from chalicelib.release.smoke_steps import SMOKE_RETRIES, run_smoke_tests
from tests.fakes.release import GoodAnswers, memory_deps

EXAMPLE = "fraud-detection-models"


def aws_error(code: str, status: int) -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": "Rate exceeded"},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "InvokeEndpoint")


@dataclass
class FaultsFirst:
    """The first `faults` calls fail as RuntimeInvoker reports AWS faults; then the model answers well."""

    faults: int
    error: ClientError = field(default_factory=lambda: aws_error("ThrottlingException", 400))
    calls: int = 0

    def invoke(self, endpoint: str, test: SmokeTest) -> Invocation:
        self.calls += 1
        if self.calls <= self.faults:
            return failed_invocation(self.error, 3.0)
        return GoodAnswers().invoke(endpoint, test)


def run(invoker: FaultsFirst) -> tuple[tuple[str, ...], list[float]]:
    deps = memory_deps(EXAMPLE)
    slept: list[float] = []
    deps.invoker, deps.sleep = invoker, slept.append
    policy = release_policy(EXAMPLE, deps)
    assert policy is not None
    return run_smoke_tests(policy, deps), slept


def test_a_throttled_call_is_asked_again_after_a_pause_and_the_tests_pass() -> None:
    failures, slept = run(FaultsFirst(faults=2))
    assert failures == ()
    assert slept == [0.5, 1.0]


def test_a_5xx_is_retried_like_throttling() -> None:
    failures, _ = run(FaultsFirst(faults=1, error=aws_error("ServiceUnavailable", 503)))
    assert failures == ()


def test_a_fault_that_outlasts_the_steps_waits_fails_the_test_with_its_reason() -> None:
    invoker = FaultsFirst(faults=100)
    failures, slept = run(invoker)
    assert len(slept) == SMOKE_RETRIES  # the waits are the step's, shared by its tests: no more
    assert "ThrottlingException: Rate exceeded, still after" in failures[0]
    assert invoker.calls == SMOKE_RETRIES + 2  # the first test's attempts, then the second test's one


def test_a_model_error_is_the_models_answer_and_is_not_retried() -> None:
    error = aws_error("ModelError", 424)
    error.response["OriginalStatusCode"] = 500  # type: ignore[typeddict-unknown-key]
    answer = failed_invocation(error, 1.0)
    assert (answer.status, answer.transient) == (500, False)
    assert failed_invocation(aws_error("ValidationError", 400), 1.0).transient is False
    assert failed_invocation(aws_error("InternalFailure", 500), 1.0).transient is True
