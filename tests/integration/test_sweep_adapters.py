"""The registry sweep's adapters against moto: the account's changed versions by page (Search), the cursor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.adapters.aws import make_client
from chalicelib.adapters.model_packages.listing import RegistrySearch, search_request
from chalicelib.adapters.state_table.sweep_cursor import DynamoSweepCursor
from chalicelib.release.ports import SweepMark
from devstack import seed
from devstack.resources import LocalResources

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
def sagemaker(aws: None) -> Any:
    client = make_client("sagemaker")
    seed.create_group(client)
    return client


def register(sagemaker: Any, count: int) -> list[str]:
    return [seed.register_version(sagemaker, f"s3://my-bucket/models/v{n}/metrics.json", f"v{n}") for n in range(count)]


def test_finds_every_versioned_package_registered_since_by_page(sagemaker: Any) -> None:
    arns = register(sagemaker, 130)
    sagemaker.create_model_package(ModelPackageName="unversioned", ModelPackageDescription="not a group's")
    pages = list(RegistrySearch(sagemaker).changed_since(LONG_AGO))
    assert [len(page) for page in pages] == [100, 30]  # the unversioned one (no group) is dropped
    listed = [v for page in pages for v in page]
    assert sorted(v.arn for v in listed) == sorted(arns)
    assert {v.group for v in listed} == {seed.GROUP} and {v.status for v in listed} == {"PendingManualApproval"}


def test_a_status_change_is_found_by_its_own_time_and_nothing_before_it(sagemaker: Any) -> None:
    arns = register(sagemaker, 3)
    after = max(sagemaker.describe_model_package(ModelPackageName=arn)["CreationTime"] for arn in arns)
    search = RegistrySearch(sagemaker)
    since = after + timedelta(milliseconds=1)
    assert list(search.changed_since(since)) == []
    sagemaker.update_model_package(ModelPackageArn=arns[1], ModelApprovalStatus="Rejected")
    changed = sagemaker.describe_model_package(ModelPackageName=arns[1])["LastModifiedTime"]
    [[found]] = list(search.changed_since(since))
    assert (found.arn, found.version, found.status, found.changed) == (arns[1], 2, "Rejected", changed)
    assert [v.arn for page in search.changed_since(changed) for v in page] == [arns[1]]  # at or after


def test_the_cursor_keeps_its_instant_and_the_changes_it_has_seen(resources: LocalResources) -> None:
    def cold() -> DynamoSweepCursor:  # a new instance reads the stored item (a warm one keeps its own mark)
        return DynamoSweepCursor(boto3.client("dynamodb"), lambda: resources.state_table)

    assert cold().load() is None
    at = datetime(2026, 11, 26, 12, 0, 0, 123000, tzinfo=UTC)
    seen = frozenset({"1764158400123 Approved arn:a/1", "1764158400123 Rejected arn:a/2"})
    cold().save(SweepMark(at, seen))
    assert cold().load() == SweepMark(at, seen)
    cold().save(SweepMark(at))  # nothing seen: DynamoDB takes no empty set
    assert cold().load() == SweepMark(at)
    held = SweepMark(at, frozenset({"1764158400123 Approved arn:a/3"}), held_since=at + timedelta(minutes=5))
    cold().save(held)
    assert cold().load() == held


def test_a_warm_cursor_reads_its_mark_once_and_keeps_what_it_wrote(resources: LocalResources) -> None:
    client = boto3.client("dynamodb")
    reads: list[str] = []
    client.meta.events.register("before-call.dynamodb.GetItem", lambda **kwargs: reads.append("GetItem"))
    cursor = DynamoSweepCursor(client, lambda: resources.state_table)
    at = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    DynamoSweepCursor(client, lambda: resources.state_table).save(SweepMark(at))
    assert [cursor.load() for _ in range(3)] == [SweepMark(at)] * 3 and len(reads) == 1
    later = SweepMark(at + timedelta(minutes=5), held_since=at)
    cursor.save(later)
    assert cursor.load() == later and len(reads) == 1
    elsewhere = DynamoSweepCursor(client, lambda: resources.state_table)  # a cold start reads what was stored
    assert elsewhere.load() == later and len(reads) == 2


def test_the_search_request_stays_inside_the_service_models_limits() -> None:
    from devstack.aws_validation.shapes import check_params, service_model

    request = search_request(datetime(2026, 11, 26, 12, 0, 0, 123456, tzinfo=UTC))
    assert check_params(service_model("sagemaker").operation_model("Search"), request) == []
    assert request["SearchExpression"]["Filters"][0]["Value"] == "2026-11-26T12:00:00.123Z"
