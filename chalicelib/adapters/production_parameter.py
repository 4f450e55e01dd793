"""The SSM parameter a batch target's production is published in, read and overwritten as one String value.

A refused write (no permission, throttled past retries, a policy on the key) leaves the parameter as it was:
SSM applies a PutParameter whole or not at all, so the pipeline reading it never sees half a value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.release.production_parameter import parameter_name
from chalicelib.shared.errors import ReleaseStepError

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient

DESCRIPTION = "The model the batch pipeline runs, published by model-shepherd"


class SsmProductionParameter:
    def __init__(self, client: SSMClient) -> None:
        self._client = client

    def read(self, group: str) -> str | None:
        """The parameter's value, or None before the group's first batch release."""
        try:
            return self._client.get_parameter(Name=parameter_name(group))["Parameter"].get("Value")
        except ClientError as error:
            if error_code(error) == "ParameterNotFound":
                return None
            raise ReleaseStepError(f"get_parameter {parameter_name(group)}: {_why(error)}") from None

    def publish(self, group: str, value: str) -> None:
        try:
            self._client.put_parameter(
                Name=parameter_name(group), Value=value, Type="String", Overwrite=True, Description=DESCRIPTION
            )
        except ClientError as error:
            raise ReleaseStepError(f"put_parameter {parameter_name(group)}: {_why(error)}") from None


def _why(error: ClientError) -> str:
    return f"{error_code(error)}: {error_message(error)}"
