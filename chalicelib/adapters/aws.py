"""The one place boto3 clients are made: lazily (a client made before moto starts talks to real AWS),
with adaptive retries so throttling slows us down instead of failing us."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

RETRIES: Any = {"mode": "adaptive", "max_attempts": 10}


class SessionClients:
    """Clients from one boto3 session, made on first use: a cold start sets botocore up (endpoint data,
    credentials, handlers) once, not once per service. One per Container, never per process: a session
    made before moto starts would keep talking to real AWS."""

    def __init__(self) -> None:
        self._session: Any = None  # typed per service in the stubs; we pick the service at run time
        self._lock = threading.Lock()  # a boto3 Session is not thread-safe while it makes clients

    def __call__(self, service: str) -> Any:
        # boto3 is imported here, not at module import: importing the app must stay cheap.
        import boto3
        from botocore.config import Config

        with self._lock:
            if self._session is None:
                # AWS_ENDPOINT_URL (the local stack) and region come from the environment, as boto3 reads them.
                self._session = boto3.session.Session()
            return self._session.client(service, config=Config(retries=RETRIES, connect_timeout=5, read_timeout=30))


def make_client(service: str) -> Any:
    """A one-off client (the CLI, benchmarks): its own session."""
    return SessionClients()(service)


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def error_message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", error))
