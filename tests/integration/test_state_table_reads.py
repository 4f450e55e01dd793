"""StateTableReads (/shepherd's reads) against moto: one page of the newest history rows; reviews round-trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3

from chalicelib.adapters.state_table.command_reads import StateTableReads
from chalicelib.adapters.state_table.releases import DynamoReleaseStore
from chalicelib.release.state import GroupState, HistoryRow, Review
from devstack.resources import LocalResources

START = datetime(2026, 12, 1, tzinfo=UTC)
ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/"


def test_recent_history_is_the_newest_rows_first_in_one_page(resources: LocalResources) -> None:
    client = boto3.client("dynamodb")
    store = DynamoReleaseStore(client, resources.state_table)
    rows = [
        HistoryRow(f"{(START + timedelta(hours=n)).isoformat(timespec='seconds')}#v{n:06d}", n, f"{ARN}{n}", "", "LIVE")
        for n in range(1, 16)
    ]
    store.save(GroupState("g"), rows)
    newest = StateTableReads(client, resources.state_table).recent_history("g", 10)
    assert [row.version for row in newest] == list(range(15, 5, -1))


def test_a_groups_reviews_come_back_from_the_batched_read(resources: LocalResources) -> None:
    client = boto3.client("dynamodb")
    review = Review(2, f"{ARN}2", START, START + timedelta(days=7), START + timedelta(days=3, hours=12))
    DynamoReleaseStore(client, resources.state_table).save(GroupState("g", reviews=(review,)))
    states = StateTableReads(client, resources.state_table).states(["g", "h"])
    assert states["g"].reviews == (review,) and states["h"].reviews == ()
