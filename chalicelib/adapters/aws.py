"""The one place boto3 clients are made: lazily (a client made before moto starts talks to real AWS),
with adaptive retries so throttling slows us down instead of failing us."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload

if TYPE_CHECKING:  # the stubs are a development tool: the Lambda package never needs them
    from botocore.exceptions import ClientError
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_ssm import SSMClient

RETRIES: Any = {"mode": "adaptive", "max_attempts": 10}
# A person at a terminal: say "unreachable" in seconds. Retries still absorb throttling, but a refused or
# timed-out connection is not retried (ten attempts with 5 s timeouts took 25 s to say AWS is not there).
INTERACTIVE_CONNECT_TIMEOUT = 2


class ClientFactory(Protocol):
    """A service name to its boto3 client, typed per service by the stubs."""

    @overload
    def __call__(self, service: Literal["sagemaker"]) -> SageMakerClient: ...
    @overload
    def __call__(self, service: Literal["sagemaker-runtime"]) -> SageMakerRuntimeClient: ...
    @overload
    def __call__(self, service: Literal["s3"]) -> S3Client: ...
    @overload
    def __call__(self, service: Literal["sns"]) -> SNSClient: ...
    @overload
    def __call__(self, service: Literal["dynamodb"]) -> DynamoDBClient: ...
    @overload
    def __call__(self, service: Literal["secretsmanager"]) -> SecretsManagerClient: ...
    @overload
    def __call__(self, service: Literal["ssm"]) -> SSMClient: ...
    @overload
    def __call__(self, service: Literal["cloudwatch"]) -> CloudWatchClient: ...
    @overload
    def __call__(self, service: Literal["sqs"]) -> SQSClient: ...
    @overload
    def __call__(self, service: Literal["events"]) -> EventBridgeClient: ...
    @overload  # a service without stubs installed (lambda), or one named at run time (the benchmarks)
    def __call__(self, service: str) -> Any: ...


class SessionClients:
    """Clients from one boto3 session, made on first use: a cold start sets botocore up (endpoint data,
    credentials, handlers) once, not once per service. One per Container, never per process: a session
    made before moto starts would keep talking to real AWS."""

    def __init__(self, interactive: bool = False) -> None:
        self._session: Any = None  # typed per service in the stubs; we pick the service at run time
        self._lock = threading.Lock()  # a boto3 Session is not thread-safe while it makes clients
        self._interactive = interactive  # the CLI: fail fast when the endpoint cannot be reached

    def __call__(self, service: str) -> Any:
        # boto3 is imported here, not at module import: importing the app must stay cheap.
        from botocore.config import Config

        connect_timeout = INTERACTIVE_CONNECT_TIMEOUT if self._interactive else 5
        client = self._client(service, Config(retries=RETRIES, connect_timeout=connect_timeout, read_timeout=30))
        if self._interactive:
            client.meta.events.register_first("needs-retry", _no_retry)
        return client

    def timed(self, service: str, seconds: int) -> Any:
        """A client whose calls give up after `seconds` and are tried once: its caller retries, on a budget."""
        from botocore.config import Config

        return self._client(
            service, Config(retries={"total_max_attempts": 1}, connect_timeout=seconds, read_timeout=seconds)
        )

    def _client(self, service: str, config: Any) -> Any:
        import boto3

        with self._lock:
            if self._session is None:
                # AWS_ENDPOINT_URL (the local stack) and region come from the environment, as boto3 reads them.
                self._session = boto3.session.Session()
            return self._session.client(service, config=config)


def placed_clients(session: Any, region: str | None) -> Callable[[str], Any]:
    """Clients of a stage in another account or region: made from `session` (the stage's own credentials,
    botocore's, never the environment's), in `region`, with the same retries and timeouts as ours."""
    from botocore.config import Config

    lock = threading.Lock()

    def client(service: str) -> Any:
        with lock:
            config = Config(retries=RETRIES, connect_timeout=5, read_timeout=30)
            return session.create_client(service, region_name=region, config=config)

    return cached_clients(client)


def _no_retry(caught_exception: Exception | None = None, **_: Any) -> None:
    """First of the retry handlers: a connection that cannot be made is raised at once, not retried."""
    from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError

    if isinstance(caught_exception, (EndpointConnectionError, ConnectTimeoutError)):  # refused, or no answer
        raise caught_exception


def _make_client(service: str) -> Any:
    """A one-off client (the CLI, benchmarks): its own session, failing fast when AWS cannot be reached."""
    return SessionClients(interactive=True)(service)


make_client: ClientFactory = _make_client


def cached_clients(factory: Callable[[str], Any]) -> ClientFactory:
    """One client per service for the life of the process, made on first use."""
    clients: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in clients:
            clients[service] = factory(service)
        return clients[service]

    return client


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def error_message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", error))
