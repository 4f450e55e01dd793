"""A stage's adapters wrapped so that every failure to reach the stage (refused, unreachable, or a step it
refused) is said with the stage's name, account, region and role."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from chalicelib.adapters.aws import error_code
from chalicelib.analysis.policy import Analysis
from chalicelib.analysis.ports import Judge, Subject
from chalicelib.analysis.verdict import Judgement
from chalicelib.release.endpoint_spec import AsyncSpec, EndpointSpec
from chalicelib.release.policy import Deployment, SmokeTest
from chalicelib.release.ports import Alarms, AsyncInvoker, Endpoints, EndpointView, FiringAlarm, Invoker
from chalicelib.release.smoke import Invocation
from chalicelib.release.variant_ports import Variants, VariantView
from chalicelib.shared.errors import MetricsReadError, ReleaseStepError, StageAccessError, StageUnreachableError

# Refused or timed out after botocore's own retries: the region (or the way to it) is down.
_UNREACHABLE = (BotocoreConnectionError, HTTPClientError)
_NOT_ALLOWED = ("AccessDenied", "AccessDeniedException", "UnrecognizedClientException", "ExpiredTokenException")


@contextmanager
def reaching(where: str) -> Iterator[None]:
    """Errors that say the stage cannot be reached or will not let us in, named after the stage."""
    try:
        yield
    except (StageAccessError, StageUnreachableError):
        raise  # named already
    except ReleaseStepError as error:
        raise type(error)(f"{where}: {error}") from None
    except _UNREACHABLE as error:
        raise StageUnreachableError(f"{where} cannot be reached: {error}") from None
    except ClientError as error:
        if error_code(error) in _NOT_ALLOWED:
            raise StageAccessError(f"{where}: {error}") from None
        raise


class ReachedEndpoints:
    def __init__(self, inner: Endpoints, where: str) -> None:
        self._inner, self._where = inner, where

    def create_model(self, name: str, package_arn: str, role_arn: str) -> None:
        with reaching(self._where):
            self._inner.create_model(name, package_arn, role_arn)

    def create_config(self, name: str, spec: EndpointSpec, model: str) -> None:
        with reaching(self._where):
            self._inner.create_config(name, spec, model)

    def describe(self, name: str) -> EndpointView | None:
        with reaching(self._where):
            return self._inner.describe(name)

    def deploy(self, name: str, config: str, deployment: Deployment | None = None) -> None:
        with reaching(self._where):
            self._inner.deploy(name, config, deployment)

    def delete(self, name: str) -> None:
        with reaching(self._where):
            self._inner.delete(name)


class ReachedInvoker:
    def __init__(self, inner: Invoker, where: str) -> None:
        self._inner, self._where = inner, where

    def invoke(self, endpoint: str, test: SmokeTest) -> Invocation:
        with reaching(self._where):
            return self._inner.invoke(endpoint, test)


class ReachedAsyncInvoker:
    def __init__(self, inner: AsyncInvoker, where: str) -> None:
        self._inner, self._where = inner, where

    def invoke(self, endpoint: str, test: SmokeTest, asynchronous: AsyncSpec) -> Invocation:
        with reaching(self._where):
            return self._inner.invoke(endpoint, test, asynchronous)


class ReachedAlarms:
    def __init__(self, inner: Alarms, where: str) -> None:
        self._inner, self._where = inner, where

    def firing(self, names: Sequence[str]) -> tuple[FiringAlarm, ...]:
        with reaching(self._where):
            return self._inner.firing(names)

    def invocations(self, endpoint: str, variant: str, since: datetime, until: datetime) -> int:
        with reaching(self._where):
            return self._inner.invocations(endpoint, variant, since, until)


class ReachedJudge:
    def __init__(self, inner: Judge, where: str) -> None:
        self._inner, self._where = inner, where

    def judge(self, analysis: Analysis, subject: Subject, start: datetime, end: datetime) -> Judgement:
        with reaching(self._where):
            try:
                return self._inner.judge(analysis, subject, start, end)
            except MetricsReadError as error:
                raise MetricsReadError(f"{self._where}: {error}") from None


class ReachedVariants:
    def __init__(self, inner: Variants, where: str) -> None:
        self._inner, self._where = inner, where

    def create_split_config(
        self, name: str, spec: EndpointSpec, champion_config: str, challenger_model: str, challenger_weight: int
    ) -> None:
        with reaching(self._where):
            self._inner.create_split_config(name, spec, champion_config, challenger_model, challenger_weight)

    def create_shadow_config(
        self, name: str, spec: EndpointSpec, champion_config: str, challenger_model: str, sampling_percent: int
    ) -> None:
        with reaching(self._where):
            self._inner.create_shadow_config(name, spec, champion_config, challenger_model, sampling_percent)

    def set_weights(self, endpoint: str, weights: Mapping[str, int]) -> None:
        with reaching(self._where):
            self._inner.set_weights(endpoint, weights)

    def variants(self, endpoint: str) -> tuple[VariantView, ...]:
        with reaching(self._where):
            return self._inner.variants(endpoint)
