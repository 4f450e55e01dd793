"""The CreateTransformJob request a batch release's smoke test sends, built from the policy's typed values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from chalicelib.release.batch_spec import BatchSpec, job_output_path

if TYPE_CHECKING:
    from mypy_boto3_sagemaker.type_defs import CreateTransformJobRequestTypeDef, TransformOutputTypeDef


def create_transform_job_request(spec: BatchSpec, job: str, model: str) -> CreateTransformJobRequestTypeDef:
    output: TransformOutputTypeDef = {"S3OutputPath": job_output_path(spec, job)}
    if spec.accept:
        output["Accept"] = spec.accept
    return {
        "TransformJobName": job,
        "ModelName": model,
        "TransformInput": {
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": spec.input_path}},
            "ContentType": spec.content_type,
            "SplitType": _allowed(spec.split_type),
        },
        "TransformOutput": output,
        "TransformResources": {"InstanceType": _allowed(spec.instance_type), "InstanceCount": spec.instance_count},
    }


def _allowed(value: str) -> Any:
    # The policy schema admits only SageMaker's enum values here; the stubs type them as Literals.
    return cast(Any, value)
