"""Model packages as SageMaker keeps them, where moto 5.2.5 differs and the seed's calls notice.

- A versioned package registered without ModelApprovalStatus is PendingManualApproval (moto: none).
- UpdateModelPackage changes only what it is given (moto wipes the status, description and metadata
  a call omits: the seed's own approve call would erase the team's metadata).
- AddTags / ListTags / DeleteTags work on model-package ARNs (moto fails to parse group/version ARNs).
"""

from __future__ import annotations

from typing import Any

from devstack.moto_ext.patching import Method, Patch, Wrap

PENDING = "PendingManualApproval"


def patches() -> list[Patch]:
    from moto.sagemaker.models import SageMakerModelBackend

    return [
        Wrap(SageMakerModelBackend, "create_model_package", _pending_by_default, gap="no default approval status"),
        Wrap(SageMakerModelBackend, "update_model_package", _keep_omitted_fields, gap="update wipes omitted fields"),
        Wrap(SageMakerModelBackend, "_get_resource_from_arn", _model_package_tags, gap="no tags on model packages"),
    ]


def _pending_by_default(call_next: Method, backend: Any, *args: Any, **kwargs: Any) -> str:
    arn: str = call_next(backend, *args, **kwargs)
    package = backend.model_packages[arn]
    if package.model_package_type == "Versioned" and package.model_approval_status is None:
        package.model_approval_status = PENDING
    package.tags = package.tags or []
    return arn


def _keep_omitted_fields(
    call_next: Method,
    backend: Any,
    model_package_arn: str,
    model_approval_status: str | None,
    approval_description: str | None,
    customer_metadata_properties: dict[str, str] | None,
    *rest: Any,
    **kwargs: Any,
) -> str:
    package = backend.describe_model_package(model_package_arn)
    arn: str = call_next(
        backend,
        model_package_arn,
        model_approval_status if model_approval_status is not None else package.model_approval_status,
        approval_description if approval_description is not None else package.approval_description,
        customer_metadata_properties
        if customer_metadata_properties is not None
        else package.customer_metadata_properties,
        *rest,
        **kwargs,
    )
    return arn


def _model_package_tags(call_next: Method, backend: Any, arn: str) -> Any:
    if ":model-package/" in arn:
        package = backend.describe_model_package(arn)
        package.tags = package.tags or []
        return package
    return call_next(backend, arn)
