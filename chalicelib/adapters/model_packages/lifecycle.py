"""A version's ModelLifeCycle written to the registry (LifeCycles): the app's own account, never a stage's.

UpdateModelPackage requires only ModelPackageArn (botocore's service model); AWS's staging-construct
example (model-registry-staging-construct-update-boto3) sends ModelLifeCycle alone. So the call carries
nothing else: the approval status, its description and the metadata stay as the gate or people left them
(an update changes only what it names: metadata goes only through CustomerMetadataPropertiesToRemove), and
no status is asserted again (the registry would record a change of it and its author).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.release.state import LifeCycle
from chalicelib.shared.errors import LifeCycleWriteError

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker.type_defs import ModelLifeCycleTypeDef


class SageMakerLifeCycles:
    def __init__(self, client: SageMakerClient) -> None:
        self._client = client

    def write(self, arn: str, lifecycle: LifeCycle) -> None:
        request: ModelLifeCycleTypeDef = {"Stage": lifecycle.stage, "StageStatus": lifecycle.status}
        if lifecycle.description:
            request["StageDescription"] = lifecycle.description
        try:
            self._client.update_model_package(ModelPackageArn=arn, ModelLifeCycle=request)
        except ClientError as error:
            raise LifeCycleWriteError(f"{arn}: {error_code(error)}: {error_message(error)}") from None
        except BotoCoreError as error:  # the network or the retries gave out: the same to the engine
            raise LifeCycleWriteError(f"{arn}: {error}") from None
