"""The one place boto3 clients are made: lazily (a client made before moto starts talks to real AWS),
with adaptive retries so throttling slows us down instead of failing us."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

RETRIES: Any = {"mode": "adaptive", "max_attempts": 10}


def make_client(service: str) -> Any:
    # boto3 is imported here, not at module import: importing the app must stay cheap.
    import boto3
    from botocore.config import Config

    # AWS_ENDPOINT_URL (the local stack) and region come from the environment, as boto3 reads them.
    session: Any = boto3.session.Session()  # typed per service in the stubs; we pick the service at run time
    return session.client(service, config=Config(retries=RETRIES, connect_timeout=5, read_timeout=30))


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def error_message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", error))
