"""A version's ModelLifeCycle, which moto 5.2.5 drops: UpdateModelPackage ignores it, DescribeModelPackage
(and so the model package event) never shows it. SageMaker keeps it and returns it as written."""

from __future__ import annotations

from typing import Any

from devstack.moto_ext.patching import Method, Patch, Wrap

GAP = "no ModelLifeCycle on model packages"


def patches() -> list[Patch]:
    from moto.sagemaker.models import ModelPackage
    from moto.sagemaker.responses import SageMakerResponse

    return [
        Wrap(SageMakerResponse, "update_model_package", _keep_lifecycle, gap=GAP),
        Wrap(ModelPackage, "gen_response_object", _show_lifecycle, gap=GAP),
    ]


def _keep_lifecycle(call_next: Method, response: Any) -> Any:
    lifecycle = response._get_param("ModelLifeCycle")
    if lifecycle:
        backend = response.sagemaker_backend
        arn = response._get_param("ModelPackageArn")
        package = backend.model_packages.get(backend.model_package_name_mapping.get(arn, arn))
        if package is not None:  # else moto answers that the package does not exist
            package.shepherd_life_cycle = dict(lifecycle)  # before the update: its event carries it
    return call_next(response)


def _show_lifecycle(call_next: Method, package: Any) -> dict[str, Any]:
    answer: dict[str, Any] = call_next(package)
    lifecycle = getattr(package, "shepherd_life_cycle", None)
    if lifecycle:
        answer["ModelLifeCycle"] = lifecycle
    return answer
