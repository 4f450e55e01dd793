"""What the doctor reads in the registry's account to tell whether a target account can make a model from a
version: the newest version's model data, the bucket's policy, the KMS key that encrypts the data and its
policy, and the model package group's resource policy. Read-only; AWS's refusals are raised as they come."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code

AWS_MANAGED = "aws/s3"  # S3's own key: a key policy no one may change, so no other account can decrypt
_NO_OBJECT = ("404", "NoSuchKey", "NotFound")


@dataclass(frozen=True)
class ModelData:
    bucket: str
    key: str

    @property
    def arn(self) -> str:
        return f"arn:aws:s3:::{self.bucket}/{self.key}"

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def newest_version(sagemaker: Any, group: str) -> dict[str, Any] | None:
    """The group's most recently registered version (the next one a release takes), or None."""
    found = sagemaker.list_model_packages(
        ModelPackageGroupName=group, SortBy="CreationTime", SortOrder="Descending", MaxResults=1
    )["ModelPackageSummaryList"]
    if not found:
        return None
    package: dict[str, Any] = sagemaker.describe_model_package(ModelPackageName=found[0]["ModelPackageArn"])
    return package


def model_data(package: dict[str, Any]) -> list[ModelData]:
    """Each container's model data (ModelDataUrl, or the S3 location of ModelDataSource)."""
    urls = []
    for container in package.get("InferenceSpecification", {}).get("Containers", []):
        source = container.get("ModelDataSource", {}).get("S3DataSource", {}).get("S3Uri")
        urls.append(container.get("ModelDataUrl") or source)
    found = []
    for url in dict.fromkeys(url for url in urls if url and url.startswith("s3://")):
        bucket, _, key = url[len("s3://") :].partition("/")
        found.append(ModelData(bucket, key))
    return found


def bucket_policy(s3: Any, bucket: str) -> str | None:
    try:
        policy: str = s3.get_bucket_policy(Bucket=bucket)["Policy"]
    except ClientError as error:
        if error_code(error) == "NoSuchBucketPolicy":
            return None
        raise
    return policy


def encryption_key(s3: Any, data: ModelData) -> str | None:
    """The KMS key the object is encrypted with (or, when there is no object at that name, the bucket's
    default): its id, ARN or alias; AWS_MANAGED for S3's own key; None when no KMS key is used."""
    try:
        head = s3.head_object(Bucket=data.bucket, Key=data.key)
    except ClientError as error:
        if error_code(error) not in _NO_OBJECT:
            raise
        return _default_key(s3, data.bucket)
    if head.get("ServerSideEncryption") != "aws:kms":
        return None
    return _named_key(head.get("SSEKMSKeyId"))


def _default_key(s3: Any, bucket: str) -> str | None:
    try:
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    except ClientError as error:
        if error_code(error) == "ServerSideEncryptionConfigurationNotFoundError":
            return None
        raise
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {}) if rules else {}
    if not default.get("SSEAlgorithm", "").startswith("aws:kms"):
        return None
    return _named_key(default.get("KMSMasterKeyID"))


def _named_key(key: str | None) -> str:
    if not key or key.endswith("alias/aws/s3"):
        return AWS_MANAGED
    return key


def key_policy(kms: Any, key: str) -> tuple[str, str]:
    """The key's ARN (an id or an alias resolved) and its key policy (a key has one, named `default`)."""
    arn: str = kms.describe_key(KeyId=key)["KeyMetadata"]["Arn"]
    policy: str = kms.get_key_policy(KeyId=arn, PolicyName="default")["Policy"]
    return arn, policy


def group_policy(sagemaker: Any, group: str) -> str | None:
    """The group's resource policy (a RAM share shows here too), or None when it has none."""
    try:
        policy: str = sagemaker.get_model_package_group_policy(ModelPackageGroupName=group)["ResourcePolicy"]
    except ClientError as error:
        if error_code(error) in ("ValidationException", "ResourceNotFound"):
            return None
        raise
    return policy
