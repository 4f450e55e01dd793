"""The registry sweep's adapters against moto: the account's new versions by page, a group's newest, the cursor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.adapters.aws import make_client
from chalicelib.adapters.model_packages.listing import SageMakerListing
from chalicelib.adapters.state_table.sweep_cursor import DynamoSweepCursor
from chalicelib.release.ports import SweepMark
from devstack import seed
from devstack.resources import LocalResources

FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
def sagemaker(aws: None) -> Any:
    client = make_client("sagemaker")
    seed.create_group(client)
    return client


def register(sagemaker: Any, count: int) -> list[str]:
    return [seed.register_version(sagemaker, f"s3://my-bucket/models/v{n}/metrics.json", f"v{n}") for n in range(count)]


def test_lists_every_versioned_package_of_the_account_oldest_first_by_page(sagemaker: Any) -> None:
    arns = register(sagemaker, 130)
    sagemaker.create_model_package(ModelPackageName="unversioned", ModelPackageDescription="not a group's")
    pages = list(SageMakerListing(sagemaker).created_since(LONG_AGO, FAR_FUTURE))
    assert [len(page) for page in pages] == [100, 30]
    listed = [v for page in pages for v in page]
    assert [v.arn for v in listed] == arns
    assert {v.group for v in listed} == {seed.GROUP} and listed[0].version == 1 and listed[0].status


def test_the_cursors_own_instant_is_listed_again(sagemaker: Any) -> None:
    first = register(sagemaker, 1)[0]
    created = sagemaker.describe_model_package(ModelPackageName=first)["CreationTime"]
    listing = SageMakerListing(sagemaker)
    assert [v.arn for page in listing.created_since(created, FAR_FUTURE) for v in page] == [first]
    later = created + timedelta(seconds=1)
    assert list(listing.created_since(later, FAR_FUTURE)) == []


def test_a_groups_newest_versions_come_newest_first_with_their_status(sagemaker: Any) -> None:
    arns = register(sagemaker, 3)
    sagemaker.update_model_package(ModelPackageArn=arns[1], ModelApprovalStatus="Rejected")
    newest = SageMakerListing(sagemaker).newest(seed.GROUP)
    assert [(v.version, v.status) for v in newest] == [
        (3, "PendingManualApproval"),
        (2, "Rejected"),
        (1, "PendingManualApproval"),
    ]


def test_the_cursor_keeps_its_instant_and_the_arns_created_at_it(resources: LocalResources) -> None:
    cursor = DynamoSweepCursor(boto3.client("dynamodb"), lambda: resources.state_table)
    assert cursor.load() is None
    at = datetime(2026, 11, 26, 12, 0, 0, 123000, tzinfo=UTC)
    cursor.save(SweepMark(at, frozenset({"arn:a/1", "arn:a/2"})))
    assert cursor.load() == SweepMark(at, frozenset({"arn:a/1", "arn:a/2"}))
    cursor.save(SweepMark(at))  # no ARNs: DynamoDB takes no empty set
    assert cursor.load() == SweepMark(at)
    held = SweepMark(at, frozenset({"arn:a/3"}), held_since=at + timedelta(minutes=5))
    cursor.save(held)
    assert cursor.load() == held
