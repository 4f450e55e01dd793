"""devstack.moto_ext.model_packages: DeleteModelPackage(Group) and no version reuse, in-process and server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from devstack import seed
from tests.support.moto_helpers import moto_server_sagemaker


def versions(sagemaker: Any, group: str = seed.GROUP) -> list[int]:
    pages = sagemaker.get_paginator("list_model_packages").paginate(ModelPackageGroupName=group)
    return sorted(item["ModelPackageVersion"] for page in pages for item in page["ModelPackageSummaryList"])


def register(sagemaker: Any, name: str) -> str:
    return seed.register_version(sagemaker, None, name)


@pytest.fixture
def sagemaker(aws: None) -> Any:
    client = boto3.client("sagemaker")
    seed.create_group(client)
    return client


def test_deleted_version_is_gone_and_others_stay(sagemaker: Any) -> None:
    first, second = register(sagemaker, "a"), register(sagemaker, "b")
    sagemaker.delete_model_package(ModelPackageName=first)
    assert versions(sagemaker) == [2]
    assert sagemaker.describe_model_package(ModelPackageName=second)["ModelPackageVersion"] == 2
    with pytest.raises(ClientError) as gone:
        sagemaker.describe_model_package(ModelPackageName=first)
    assert gone.value.response["Error"]["Code"] == "ValidationException"


def test_deleting_a_missing_version_is_a_validation_error(sagemaker: Any) -> None:
    arn = register(sagemaker, "a")
    sagemaker.delete_model_package(ModelPackageName=arn)
    with pytest.raises(ClientError) as again:
        sagemaker.delete_model_package(ModelPackageName=arn)
    assert again.value.response["Error"]["Code"] == "ValidationException"
    assert "does not exist" in again.value.response["Error"]["Message"]


def test_version_numbers_are_never_reused_after_a_delete(sagemaker: Any) -> None:
    arns = [register(sagemaker, name) for name in ("a", "b", "c")]
    sagemaker.delete_model_package(ModelPackageName=arns[0])  # moto alone would number the next one 3 again
    sagemaker.delete_model_package(ModelPackageName=arns[2])  # the newest number, too, is not issued again
    fourth = register(sagemaker, "d")
    assert fourth.endswith("/4")
    assert versions(sagemaker) == [2, 4]
    assert sagemaker.describe_model_package(ModelPackageName=arns[1])["ModelPackageDescription"].endswith(" b")


def test_group_with_versions_cannot_be_deleted_until_empty(sagemaker: Any) -> None:
    arn = register(sagemaker, "a")
    with pytest.raises(ClientError) as conflict:
        sagemaker.delete_model_package_group(ModelPackageGroupName=seed.GROUP)
    assert conflict.value.response["Error"]["Code"] == "ConflictException"
    sagemaker.delete_model_package(ModelPackageName=arn)
    sagemaker.delete_model_package_group(ModelPackageGroupName=seed.GROUP)
    with pytest.raises(ClientError) as missing:
        sagemaker.describe_model_package_group(ModelPackageGroupName=seed.GROUP)
    assert missing.value.response["Error"]["Code"] == "ValidationException"


def test_recreated_group_numbers_from_one(sagemaker: Any) -> None:
    sagemaker.delete_model_package(ModelPackageName=register(sagemaker, "a"))
    sagemaker.delete_model_package_group(ModelPackageGroupName=seed.GROUP)
    seed.create_group(sagemaker)
    assert register(sagemaker, "b").endswith("/1")


@pytest.fixture
def server_sagemaker() -> Iterator[Any]:
    with moto_server_sagemaker() as client:
        yield client


def test_the_moto_server_serves_the_same_deletes(server_sagemaker: Any) -> None:
    seed.create_group(server_sagemaker, "server-group")
    arns = [seed.register_version(server_sagemaker, None, name, group="server-group") for name in ("a", "b")]
    server_sagemaker.delete_model_package(ModelPackageName=arns[1])
    assert seed.register_version(server_sagemaker, None, "c", group="server-group").endswith("/3")
    assert versions(server_sagemaker, "server-group") == [1, 3]
