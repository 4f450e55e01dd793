"""The Places port: each stage's SageMaker, Runtime and CloudWatch adapters in its own account and region,
made once per stage and kept (botocore renews the assumed credentials underneath), every failure to reach
the stage said with the stage's name, account, region and role."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from chalicelib.adapters.assumed import assumed_session
from chalicelib.adapters.aws import error_code, placed_clients
from chalicelib.release.endpoint_spec import AsyncSpec, EndpointSpec
from chalicelib.release.placement import Placement
from chalicelib.release.places import StageAdapters
from chalicelib.release.policy import Deployment, SmokeTest
from chalicelib.release.ports import Alarms, AsyncInvoker, Endpoints, EndpointView, FiringAlarm, Invoker
from chalicelib.release.smoke import Invocation
from chalicelib.shared.errors import ReleaseStepError, StageAccessError, StageUnreachableError

# Refused or timed out after botocore's own retries: the region (or the way to it) is down.
_UNREACHABLE = (BotocoreConnectionError, HTTPClientError)
_NOT_ALLOWED = ("AccessDenied", "AccessDeniedException", "UnrecognizedClientException", "ExpiredTokenException")


class AssumedPlaces:
    def __init__(
        self, sts: Callable[[], Any], clock: Callable[[], datetime] | None = None, session_policy: str | None = None
    ) -> None:
        self._sts = sts  # the app's own STS client, made on first use
        self._clock = clock  # botocore's clock for the credentials' expiry (tests move it)
        self._session_policy = session_policy  # narrows what the assumed role may do (the doctor only reads)
        self._made: dict[tuple[Placement, str], StageAdapters] = {}
        self._lock = threading.Lock()

    def at(self, place: Placement, stage: str) -> StageAdapters:
        with self._lock:  # a refusal is not kept: the next call assumes the role again
            if (place, stage) not in self._made:
                self._made[(place, stage)] = self._make(place, stage)
            return self._made[(place, stage)]

    def _make(self, place: Placement, stage: str) -> StageAdapters:
        from chalicelib.adapters.async_runtime import AsyncRuntimeInvoker
        from chalicelib.adapters.cloudwatch import CloudWatchAlarms
        from chalicelib.adapters.endpoints import SageMakerEndpoints
        from chalicelib.adapters.runtime import RuntimeInvoker

        where = place.describe(stage)
        with reaching(where):
            client = self.clients(place, stage)
            return StageAdapters(
                ReachedEndpoints(SageMakerEndpoints(client("sagemaker")), where),
                ReachedInvoker(RuntimeInvoker(client("sagemaker-runtime")), where),
                ReachedAlarms(CloudWatchAlarms(client("cloudwatch")), where),
                async_invoker=ReachedAsyncInvoker(
                    AsyncRuntimeInvoker(client("sagemaker-runtime"), client("s3")), where
                ),
            )

    def clients(self, place: Placement, stage: str) -> Callable[[str], Any]:
        """The stage's clients (its role assumed now: StageAccessError or StageUnreachableError naming it)."""
        return placed_clients(self._session(place, stage), place.region)

    def _session(self, place: Placement, stage: str) -> Any:
        if place.role_arn is None:  # only another region: the app's own account and credentials
            import botocore.session

            return botocore.session.Session()
        return assumed_session(place, stage, self._sts, self._clock, self._session_policy)


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
