"""Secrets from Secrets Manager or SSM Parameter Store, through Powertools parameters (cached)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload

from chalicelib.adapters.slack_api import SlackCredentials
from chalicelib.shared.errors import ConfigurationError

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_ssm import SSMClient

SSM_PREFIX = "ssm:"
CACHE_SECONDS = 300


class SecretClients(Protocol):
    """The two clients a secret may come from: the container's client factory, or boto3.client itself."""

    @overload
    def __call__(self, service: Literal["secretsmanager"], /) -> SecretsManagerClient: ...
    @overload
    def __call__(self, service: Literal["ssm"], /) -> SSMClient: ...


def read_json_secret(reference: str, client: SecretClients) -> Any:
    """``ssm:/name`` reads a (SecureString) parameter; anything else is a Secrets Manager secret id."""
    from aws_lambda_powertools.utilities import parameters

    try:
        if reference.startswith(SSM_PREFIX):
            provider = parameters.SSMProvider(boto3_client=client("ssm"))
            return provider.get(reference[len(SSM_PREFIX) :], transform="json", decrypt=True, max_age=CACHE_SECONDS)
        secrets = parameters.SecretsProvider(boto3_client=client("secretsmanager"))
        return secrets.get(reference, transform="json", max_age=CACHE_SECONDS)
    except parameters.exceptions.TransformParameterError:
        # The message would quote the secret; say only where it came from.
        raise ConfigurationError(f"secret {reference} is not JSON") from None
    except parameters.exceptions.GetParameterError as error:
        raise ConfigurationError(f"cannot read secret {reference}: {type(error.__cause__).__name__}") from None


def slack_credentials_loader(reference: str, client: SecretClients) -> Callable[[], SlackCredentials]:
    return lambda: SlackCredentials.from_secret(read_json_secret(reference, client))


def signing_secret_loader(reference: str, client: SecretClients) -> Callable[[], str]:
    """The Slack signing secret from the same secret as the token (key ``signing_secret``), cached."""
    return lambda: _signing_secret(reference, client, "Slack clicks cannot be verified")


def hook_secret_loader(client: SecretClients) -> Callable[[str], str]:
    """A hook's signing secret from the secret its policy names (key ``signing_secret``), cached."""
    return lambda reference: _signing_secret(reference, client, "the hook's requests cannot be signed")


def _signing_secret(reference: str, client: SecretClients, unless: str) -> str:
    secret = read_json_secret(reference, client)
    value = secret.get("signing_secret") if isinstance(secret, dict) else None
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"secret {reference} has no signing_secret: {unless}")
    return value
