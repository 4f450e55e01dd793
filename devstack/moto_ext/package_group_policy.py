"""PutModelPackageGroupPolicy and GetModelPackageGroupPolicy for moto 5.2.5 (which lacks them): the group's
resource policy, kept on the group, that lets other accounts create models from its versions. As SageMaker,
a missing group, or a group without a policy, is a ValidationException."""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from devstack.moto_ext.patching import Add, Patch

_POLICY = "_shepherd_resource_policy"  # group attribute: the policy document as it was put


def patches() -> list[Patch]:
    return [
        Add(SageMakerResponse, "put_model_package_group_policy", _respond_put, gap="no ModelPackageGroupPolicy"),
        Add(SageMakerResponse, "get_model_package_group_policy", _respond_get, gap="no ModelPackageGroupPolicy"),
    ]


def _group(backend: SageMakerModelBackend, name: str) -> Any:
    group = backend.model_package_groups.get(name.split("/")[-1])  # a name or an ARN
    if group is None:
        raise ValidationError(f"ModelPackageGroup {name} does not exist.")
    return group


def _respond_put(self: SageMakerResponse) -> ActionResult:
    group = _group(self.sagemaker_backend, self._get_param("ModelPackageGroupName"))
    setattr(group, _POLICY, self._get_param("ResourcePolicy"))
    return ActionResult({"ModelPackageGroupArn": group.arn})


def _respond_get(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("ModelPackageGroupName")
    policy = getattr(_group(self.sagemaker_backend, name), _POLICY, None)
    if policy is None:
        raise ValidationError(f"Cannot find resource policy for ModelPackageGroup {name}.")
    return ActionResult({"ResourcePolicy": policy})
