"""The cleanup's adapters against moto: every page, re-reads, idempotent deletes, throttling, the lease."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.adapters.aws import make_client
from chalicelib.adapters.model_packages.cleanup import SageMakerCleanupRegistry, artifact_uris
from chalicelib.adapters.state_table.cleanup_state import DynamoCleanupState
from chalicelib.shared.errors import ConflictError
from devstack import seed
from devstack.resources import LocalResources
from tests.support.moto_helpers import age_versions, throttle

FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


@pytest.fixture
def sagemaker(aws: None) -> Any:
    client = make_client("sagemaker")  # adaptive retries, as the app makes it
    seed.create_group(client)
    return client


def register(sagemaker: Any, count: int, status: str = "Rejected") -> list[str]:
    arns = []
    for n in range(count):
        arn = seed.register_version(sagemaker, f"s3://my-bucket/models/v{n}/evaluation/metrics.json", f"v{n}")
        sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status)
        arns.append(arn)
    return arns


def test_pages_through_every_rejected_version_oldest_first(sagemaker: Any) -> None:
    rejected = register(sagemaker, 230)
    register(sagemaker, 2, status="Approved")
    registry = SageMakerCleanupRegistry(sagemaker)

    pages = list(registry.rejected_pages(seed.GROUP, FAR_FUTURE, None))

    assert [len(page) for page in pages] == [100, 100, 30]  # the seed's loop saw only the first
    assert [v.arn for page in pages for v in page] == rejected
    assert {v.status for page in pages for v in page} == {"Rejected"}


def test_lists_only_versions_created_in_the_window(sagemaker: Any) -> None:
    arns = register(sagemaker, 3)
    age_versions(arns[:2], days=40)
    age_versions(arns[:1], days=10)  # v1 is now 50 days old
    now = datetime.now(UTC)
    registry = SageMakerCleanupRegistry(sagemaker)
    old = [v.arn for page in registry.rejected_pages(seed.GROUP, now - timedelta(days=30), None) for v in page]
    assert old == arns[:2]
    after = [
        v.arn
        for page in registry.rejected_pages(seed.GROUP, now - timedelta(days=30), now - timedelta(days=45))
        for v in page
    ]
    assert after == [arns[1]]


def test_a_version_that_changes_status_at_a_page_boundary_does_not_break_paging(sagemaker: Any) -> None:
    arns = register(sagemaker, 150)
    registry = SageMakerCleanupRegistry(sagemaker)
    pages = registry.rejected_pages(seed.GROUP, FAR_FUTURE, None)
    first = next(pages)
    # The next page's first version is approved while the first page is worked on: moto's token then
    # names a version the listing no longer holds, and the adapter lists again from where it got to.
    sagemaker.update_model_package(ModelPackageArn=arns[100], ModelApprovalStatus="Approved")
    rest = [v.arn for page in pages for v in page]
    assert [v.arn for v in first] == arns[:100]
    assert rest == arns[101:]  # each once, in order


def test_newest_rejected_across_pages(sagemaker: Any) -> None:
    arns = register(sagemaker, 120)
    registry = SageMakerCleanupRegistry(sagemaker)
    assert registry.newest_rejected(seed.GROUP, 105) == frozenset(arns[-105:])
    assert registry.newest_rejected(seed.GROUP, 0) == frozenset()


def test_re_read_and_delete_treat_a_missing_version_as_gone(sagemaker: Any) -> None:
    (arn,) = register(sagemaker, 1)
    registry = SageMakerCleanupRegistry(sagemaker)
    detail = registry.describe(arn)
    assert detail is not None
    assert detail.summary.status == "Rejected"
    assert detail.artifacts == (
        "s3://my-bucket/models/v0/output/model.tar.gz",
        "s3://my-bucket/models/v0/evaluation/metrics.json",
    )
    assert registry.delete(arn) is True
    assert registry.delete(arn) is False
    assert registry.describe(arn) is None


def test_artifact_uris_finds_every_metrics_document() -> None:
    package = {
        "InferenceSpecification": {"Containers": [{"ModelDataUrl": "s3://b/m.tar.gz"}, {"Image": "x"}]},
        "ModelMetrics": {
            "ModelQuality": {"Statistics": {"S3Uri": "s3://b/q.json"}, "Constraints": {"S3Uri": "s3://b/c.json"}},
            "Bias": {"Report": {"S3Uri": "s3://b/q.json"}},
        },
    }
    assert artifact_uris(package) == ("s3://b/m.tar.gz", "s3://b/q.json", "s3://b/c.json")


@pytest.mark.filterwarnings("ignore:Exception\\(Throttled\\):UserWarning")  # moto: not in SageMaker's model
def test_throttled_list_and_delete_back_off_and_succeed(sagemaker: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    arns = register(sagemaker, 3)
    registry = SageMakerCleanupRegistry(sagemaker)
    listed = throttle("list_model_packages", times=2, monkeypatch=monkeypatch)
    deleted = throttle("delete_model_package", times=3, monkeypatch=monkeypatch)

    pages = list(registry.rejected_pages(seed.GROUP, FAR_FUTURE, None))
    assert all(registry.delete(arn) for arn in arns)

    assert [v.arn for page in pages for v in page] == arns
    assert listed.throttled == 2
    assert deleted.throttled == 3
    assert listed.waits + deleted.waits  # it backed off (the waits are recorded, not slept, to keep tests fast)
    assert registry.describe(arns[0]) is None


@pytest.fixture
def state(resources: LocalResources) -> DynamoCleanupState:
    return DynamoCleanupState(boto3.client("dynamodb"), lambda: resources.state_table)


NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_one_holder_at_a_time_until_the_lease_expires(state: DynamoCleanupState) -> None:
    assert state.acquire("g", "a", NOW, NOW + timedelta(minutes=16)) is not None
    assert state.acquire("g", "b", NOW + timedelta(minutes=5), NOW + timedelta(minutes=21)) is None
    assert state.acquire("other-group", "b", NOW, NOW + timedelta(minutes=16)) is not None
    taken = state.acquire("g", "b", NOW + timedelta(minutes=17), NOW + timedelta(minutes=33))  # a died
    assert taken is not None
    with pytest.raises(ConflictError):
        state.save("g", "a", NOW)  # the old holder can no longer move the checkpoint


def test_checkpoint_survives_release_and_clears_when_finished(state: DynamoCleanupState) -> None:
    cursor = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert state.acquire("g", "a", NOW, NOW + timedelta(minutes=16)) == _lease("a", None)
    state.save("g", "a", cursor - timedelta(days=1))
    state.release("g", "a", cursor)
    assert state.acquire("g", "b", NOW, NOW + timedelta(minutes=16)) == _lease("b", cursor)
    state.release("g", "b", None)
    assert state.acquire("g", "c", NOW, NOW + timedelta(minutes=16)) == _lease("c", None)


def test_state_item_has_the_cleanup_prefix_and_a_ttl(state: DynamoCleanupState, resources: LocalResources) -> None:
    state.acquire("g", "a", NOW, NOW + timedelta(minutes=16))
    item = boto3.client("dynamodb").get_item(
        TableName=resources.state_table, Key={"pk": {"S": "cleanup#g"}, "sk": {"S": "checkpoint"}}
    )["Item"]
    assert item["lease_owner"] == {"S": "a"}
    assert int(item["expires_at"]["N"]) > NOW.timestamp()


def _lease(owner: str, cursor: datetime | None) -> Any:
    from chalicelib.cleanup.ports import Lease

    return Lease(owner, cursor)


def test_s3_artifacts_are_deleted_and_a_missing_one_is_fine(resources: LocalResources) -> None:
    from chalicelib.adapters.s3 import S3ArtifactStore
    from chalicelib.shared.errors import DeleteFailedError

    s3 = boto3.client("s3")
    s3.put_object(Bucket=resources.bucket, Key="models/v1/output/model.tar.gz", Body=b"weights")
    store = S3ArtifactStore(s3)
    store.delete(f"s3://{resources.bucket}/models/v1/output/model.tar.gz")
    store.delete(f"s3://{resources.bucket}/models/v1/output/model.tar.gz")  # already gone: fine
    assert s3.list_objects_v2(Bucket=resources.bucket).get("KeyCount") == 0
    for refused in (
        f"s3://{resources.bucket}/models/v1/",
        "https://example.com/model.tar.gz",
        "s3://no-such-bucket-here/model.tar.gz",
    ):
        with pytest.raises(DeleteFailedError):
            store.delete(refused)
