"""Time on the local stack: a version can be made old, so that the cleanup's retention can be shown and tried.

SageMaker sets a version's CreationTime when it is registered and no API changes it; a retention rule
("older than 30 days") then cannot be seen at work on a stack that started a minute ago. Locally, any
client can age a version by tagging it: `shepherd-local:age-days` = N moves its CreationTime to N days
before now (the tag itself is not kept: it is an instruction, not metadata).

    aws sagemaker add-tags --resource-arn <version ARN> --tags Key=shepherd-local:age-days,Value=90
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from devstack.moto_ext.patching import Method, Patch, Wrap

AGE_TAG = "shepherd-local:age-days"


def patches() -> list[Patch]:
    from moto.sagemaker.models import SageMakerModelBackend

    return [Wrap(SageMakerModelBackend, "add_tags", _age_on_tag, gap="a version cannot be made old")]


def _age_on_tag(call_next: Method, backend: Any, arn: str, tags: list[dict[str, str]]) -> Any:
    from moto.core.utils import utcnow
    from moto.sagemaker.exceptions import ValidationError

    ages = [tag["Value"] for tag in tags if tag["Key"] == AGE_TAG]
    if ages and ":model-package/" in arn:
        try:
            days = float(ages[-1])
        except ValueError:
            raise ValidationError(message=f"{AGE_TAG} takes a number of days, not {ages[-1]!r}") from None
        backend.describe_model_package(arn).creation_time = utcnow() - timedelta(days=days)
        tags = [tag for tag in tags if tag["Key"] != AGE_TAG]
    return call_next(backend, arn, tags)
