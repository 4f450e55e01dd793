"""`shepherd doctor` on a group whose stages are in other accounts: the newest version's model data, its KMS
key and the model package group let those accounts' roles read, or the check says what is missing."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from devstack import seed
from devstack.accounts_setup import PRODUCTION_AT, PRODUCTION_ROLE, STAGING_AT, STAGING_ROLE
from tests.fakes.sts import RefusingSts
from tests.integration.test_cli_doctor import GROUP, account, doctor, failed  # noqa: F401 (the fixture)
from tests.integration.test_cli_doctor_accounts import elsewhere  # noqa: F401 (the fixture)

BUCKET = "registry-models"
KEY = "models/v1/output/model.tar.gz"
EXECUTION = "model-shepherd-sagemaker-execution"
READERS = [f"arn:aws:iam::{account_id}:role/{EXECUTION}" for account_id in (STAGING_AT[0], PRODUCTION_AT[0])]


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def owner_statement() -> dict[str, Any]:
    root = "arn:aws:iam::123456789012:root"
    return {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*", "Resource": "*"}


def registered(encryption: dict[str, str]) -> str:
    """A version whose model data is in BUCKET, encrypted as `encryption` says; returns the KMS key id."""
    s3, kms = boto3.client("s3"), boto3.client("kms")
    s3.create_bucket(Bucket=BUCKET)
    key: str = kms.create_key(Policy=policy(owner_statement()))["KeyMetadata"]["KeyId"]
    sse = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": key} if encryption.get("kms") == "own" else encryption
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"model", **sse)  # type: ignore[arg-type]
    sagemaker = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    seed.register_version(sagemaker, None, "v1", bucket=BUCKET)
    return key


def grant_everything(key: str) -> None:
    read = {"Sid": "TargetsRead", "Effect": "Allow", "Principal": {"AWS": READERS}, "Action": "s3:GetObject"}
    boto3.client("s3").put_bucket_policy(Bucket=BUCKET, Policy=policy({**read, "Resource": f"arn:aws:s3:::{BUCKET}/*"}))
    decrypt = {"Sid": "TargetsDecrypt", "Effect": "Allow", "Principal": {"AWS": READERS}, "Action": "kms:Decrypt"}
    boto3.client("kms").put_key_policy(KeyId=key, PolicyName="default", Policy=policy(owner_statement(), decrypt))
    grant_package_group()


def grant_package_group(actions: tuple[str, ...] = ("sagemaker:DescribeModelPackage", "sagemaker:CreateModel")) -> None:
    statement = {
        "Sid": "TargetsCreateModels",
        "Effect": "Allow",
        "Principal": {"AWS": [f"arn:aws:iam::{STAGING_AT[0]}:root", f"arn:aws:iam::{PRODUCTION_AT[0]}:root"]},
        "Action": list(actions),
        "Resource": f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/*",
    }
    boto3.client("sagemaker").put_model_package_group_policy(
        ModelPackageGroupName=GROUP, ResourcePolicy=policy(statement)
    )


def artifacts(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, Any]]:
    _, checks = doctor(capsys)
    return {name.rsplit(":", 1)[1]: check for name, check in checks.items() if name.startswith(f"artifacts:{GROUP}:")}


def test_a_group_set_up_as_the_docs_say_passes(elsewhere: RefusingSts, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    grant_everything(registered({"kms": "own"}))
    found = artifacts(capsys)
    assert {name: check["status"] for name, check in found.items()} == {
        "model-data": "ok",
        "kms-key": "ok",
        "package-group": "ok",
    }
    assert "allowed by statement 'TargetsDecrypt'" in found["kms-key"]["reason"]
    assert f"for account {PRODUCTION_AT[0]} (role {PRODUCTION_ROLE})" in found["package-group"]["reason"]


def test_a_bucket_without_a_statement_for_the_target_says_so(
    elsewhere: RefusingSts,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    grant_everything(registered({"kms": "own"}))
    boto3.client("s3").delete_bucket_policy(Bucket=BUCKET)
    reason = failed_artifacts(capsys)["model-data"]
    assert f"the bucket policy of {BUCKET} does not let account {STAGING_AT[0]}" in reason
    assert f"s3:GetObject on s3://{BUCKET}/{KEY}: no statement allows it" in reason


def test_a_key_policy_that_lets_only_its_owner_decrypt_says_so(
    elsewhere: RefusingSts,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = registered({"kms": "own"})
    grant_everything(key)
    boto3.client("kms").put_key_policy(KeyId=key, PolicyName="default", Policy=policy(owner_statement()))
    assert "its key policy does not let account" in failed_artifacts(capsys)["kms-key"]


def test_data_under_s3s_own_key_cannot_be_read_elsewhere(
    elsewhere: RefusingSts,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    grant_everything(registered({"ServerSideEncryption": "aws:kms"}))
    assert "encrypted with aws/s3, which no other account can use" in failed_artifacts(capsys)["kms-key"]


def test_a_group_policy_without_create_model_says_which_action_is_missing(
    elsewhere: RefusingSts,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    grant_everything(registered({}))
    grant_package_group(("sagemaker:DescribeModelPackage",))
    reason = failed_artifacts(capsys)["package-group"]
    assert f"does not let account {STAGING_AT[0]} (role {STAGING_ROLE}) sagemaker:CreateModel" in reason
    assert "sagemaker:DescribeModelPackage" not in reason


def test_a_group_without_a_resource_policy_fails(
    elsewhere: RefusingSts,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    registered({})
    assert "the resource policy of" in failed_artifacts(capsys)["package-group"]


def failed_artifacts(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    return {name: check["reason"] for name, check in artifacts(capsys).items() if check["status"] == "FAIL"}
