"""DeleteModelPackage and DeleteModelPackageGroup for moto 5.2.5, and version numbers never reused.

moto 5.2.5 numbers a new version ``len(versions in the group) + 1``: after a delete that number may
belong to a live version, which the new one silently overwrites. SageMaker never reuses a number, so
the backend here remembers the highest number it issued per group (its "high-water mark").
Errors follow SageMaker: a missing package or group is a ValidationException, a group that still
holds versions a ConflictException.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import EmptyResult
from moto.sagemaker.exceptions import ConflictException, ValidationError
from moto.sagemaker.models import ModelPackage, SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from devstack.moto_ext.patching import Add, Method, Patch, Wrap

_HIGH_WATER = "_shepherd_issued_versions"  # backend attribute: {group: highest version number issued}


def patches() -> list[Patch]:
    return [
        Wrap(
            SageMakerModelBackend, "create_model_package", _numbered_create, gap="version numbers reused after a delete"
        ),
        Add(SageMakerResponse, "delete_model_package", _respond_delete_model_package, gap="no DeleteModelPackage"),
        Add(
            SageMakerResponse,
            "delete_model_package_group",
            _respond_delete_model_package_group,
            gap="no DeleteModelPackageGroup",
        ),
    ]


def _numbered_create(call_next: Method, backend: SageMakerModelBackend, **kwargs: Any) -> str:
    group = kwargs.get("model_package_group_name")
    if not group or kwargs.get("model_package_name") or group not in backend.model_package_groups:
        return str(call_next(backend, **kwargs))  # unversioned packages and moto's own validation
    return _create_version(backend, group, kwargs)


def _create_version(backend: SageMakerModelBackend, group: str, kwargs: dict[str, Any]) -> str:
    number = _high_water(backend, group) + 1
    package = ModelPackage(
        **dict(kwargs, model_package_name=group),
        model_package_version=number,
        approval_description=None,
        region_name=backend.region_name,
        account_id=backend.account_id,
        model_package_type="Versioned",
    )
    getattr(backend, _HIGH_WATER)[group] = number
    backend.model_package_name_mapping[group] = package.arn
    backend.model_package_name_mapping[package.arn] = package.arn
    backend.model_packages[package.arn] = package
    return str(package.arn)


def _high_water(backend: SageMakerModelBackend, group: str) -> int:
    issued: dict[str, int] = backend.__dict__.setdefault(_HIGH_WATER, {})
    if group not in issued:  # once per group: packages made before install() count too
        numbers = (
            p.model_package_version or 0 for p in backend.model_packages.values() if p.model_package_group_name == group
        )
        issued[group] = max(numbers, default=0)
    return issued[group]


def _delete_model_package(backend: SageMakerModelBackend, model_package_name: str) -> None:
    arn = backend.model_package_name_mapping.get(model_package_name, model_package_name)
    package = backend.model_packages.get(arn)
    if package is None:
        raise ValidationError(f"Model Package {model_package_name} does not exist.")
    if package.model_package_group_name:
        _high_water(backend, package.model_package_group_name)  # remember the number before it goes
    del backend.model_packages[arn]
    backend.model_package_name_mapping.pop(arn, None)
    if backend.model_package_name_mapping.get(package.model_package_name) == arn:
        del backend.model_package_name_mapping[package.model_package_name]


def _delete_model_package_group(backend: SageMakerModelBackend, model_package_group_name: str) -> None:
    name = model_package_group_name.split("/")[-1]  # a name or an ARN
    group = backend.model_package_groups.get(name)
    if group is None:
        raise ValidationError(f"ModelPackageGroup {model_package_group_name} does not exist.")
    if any(p.model_package_group_name == name for p in backend.model_packages.values()):
        raise ConflictException(f"ModelPackageGroup {group.arn} still has model packages: delete them first.")
    del backend.model_package_groups[name]
    backend.__dict__.get(_HIGH_WATER, {}).pop(name, None)


def _respond_delete_model_package(self: SageMakerResponse) -> EmptyResult:
    _delete_model_package(self.sagemaker_backend, self._get_param("ModelPackageName"))
    return EmptyResult()


def _respond_delete_model_package_group(self: SageMakerResponse) -> EmptyResult:
    _delete_model_package_group(self.sagemaker_backend, self._get_param("ModelPackageGroupName"))
    return EmptyResult()
