"""The scheduled cleanup through Chalice's test client and the CLI, against moto (SageMaker, DynamoDB, SNS)."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import timedelta
from typing import Any

import boto3
import pytest
from chalice.local import LambdaContext
from chalice.test import Client

from app import CLEANUP_SCHEDULE, app
from chalicelib import handlers
from chalicelib.bootstrap import Container
from chalicelib.shared.clock import utc_now
from chalicelib.shared.errors import ConfigurationError
from devstack import seed
from devstack.resources import LocalResources
from shepherd_cli.main import main
from tests.support.moto_helpers import throttle
from tests.support.sns_inbox import inbox

# The example policy keeps rejected versions 30 days and always the newest 5.
LATER = utc_now() + timedelta(days=45)  # the schedule "runs" 45 days on: every version is old


class FifteenMinuteContext(LambdaContext):
    """Chalice's test client gives every invocation 3 s; the deployed cleanup function has 900 s."""

    def __init__(self, function_name: str, memory_size: int) -> None:
        super().__init__(function_name, memory_size, max_runtime_ms=900_000)


@pytest.fixture
def sagemaker(container: Container, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("chalice.test.LambdaContext", FifteenMinuteContext)
    container.cleanup_clock = lambda: LATER
    client = boto3.client("sagemaker")
    seed.create_group(client)
    return client


def register(sagemaker: Any, statuses: list[str]) -> list[str]:
    arns = []
    for n, status in enumerate(statuses, start=1):
        arn = seed.register_version(sagemaker, None, f"v{n}")
        sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status)
        arns.append(arn)
    return arns


def versions(sagemaker: Any) -> list[int]:
    pages = sagemaker.get_paginator("list_model_packages").paginate(ModelPackageGroupName=seed.GROUP)
    return sorted(item["ModelPackageVersion"] for page in pages for item in page["ModelPackageSummaryList"])


def scheduled_run() -> dict[str, Any]:
    with Client(app) as client:
        event = client.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", resources=[], detail={}
        )
        payload: dict[str, Any] = client.lambda_.invoke("cleanup", event).payload
        return payload


def test_schedule_deletes_old_rejected_versions_keeps_the_rest_and_tells_people(
    sagemaker: Any, resources: LocalResources
) -> None:
    register(sagemaker, ["Rejected"] * 7 + ["Approved", "PendingManualApproval"])

    (group,) = scheduled_run()["groups"]

    assert group["deleted"]["versions"] == [1, 2]  # seven rejected, the newest five stay
    assert group["kept"]["newest-rejected"]["versions"] == [3, 4, 5, 6, 7]
    assert versions(sagemaker) == [3, 4, 5, 6, 7, 8, 9]
    (message,) = inbox(resources)
    assert message["type"] == "cleanup.summary"
    assert message["group"] == seed.GROUP
    assert message["deleted"]["count"] == 2
    assert message["dry_run"] is False

    again = scheduled_run()["groups"][0]  # nothing left to do: nobody is told
    assert again["deleted"]["count"] == 0
    assert inbox(resources) == []


def test_the_cleanup_is_scheduled_at_the_configured_rate_daily_by_default() -> None:
    configured = os.environ.get("SHEPHERD_CLEANUP_SCHEDULE")  # read when the app was imported (packaged)
    (schedule,) = [s for s in app.event_sources if getattr(s, "name", None) == "cleanup"]
    assert schedule.schedule_expression == CLEANUP_SCHEDULE == (configured or "rate(1 day)")  # type: ignore[attr-defined]


class ShortLambda:
    """A Lambda context whose time runs out once `deletes` versions are gone."""

    def __init__(self, sagemaker: Any, deletes: int) -> None:
        self._start = len(versions(sagemaker))
        self._sagemaker = sagemaker
        self._deletes = deletes

    def get_remaining_time_in_millis(self) -> int:
        done = self._start - len(versions(self._sagemaker))
        return 1_000 if done >= self._deletes else 600_000


def test_a_run_out_of_time_records_its_checkpoint_and_the_next_run_continues(
    sagemaker: Any, resources: LocalResources
) -> None:
    register(sagemaker, ["Rejected"] * 9)  # four to delete

    first = handlers.on_cleanup_schedule({}, ShortLambda(sagemaker, deletes=3))["groups"][0]
    assert (first["complete"], first["deleted"]["versions"]) == (False, [1, 2, 3])
    checkpoint = boto3.client("dynamodb").get_item(
        TableName=resources.state_table, Key={"pk": {"S": f"cleanup#{seed.GROUP}"}, "sk": {"S": "checkpoint"}}
    )["Item"]
    assert "cursor" in checkpoint
    assert "lease_owner" not in checkpoint  # released for the next run

    second = handlers.on_cleanup_schedule({}, ShortLambda(sagemaker, deletes=100))["groups"][0]
    assert (second["complete"], second["deleted"]["versions"]) == (True, [4])
    assert versions(sagemaker) == [5, 6, 7, 8, 9]


def test_two_runs_at_once_delete_nothing_twice_and_fail_nothing(
    sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(sagemaker, ["Rejected"] * 8)  # three to delete
    from moto.sagemaker.responses import SageMakerResponse

    original = SageMakerResponse.delete_model_package  # type: ignore[attr-defined]
    overlapping: list[dict[str, Any]] = []

    def delete_while_another_run_starts(self: Any) -> Any:
        if not overlapping:  # the second schedule fires during the first's first delete
            overlapping.append(handlers.on_cleanup_schedule({}, None)["groups"][0])
        return original(self)

    monkeypatch.setattr(SageMakerResponse, "delete_model_package", delete_while_another_run_starts)
    first = handlers.on_cleanup_schedule({}, None)["groups"][0]

    assert overlapping[0]["skipped"] == "another cleanup run is working on this group"
    assert first["deleted"]["versions"] == [1, 2, 3]
    assert first["failures"]["count"] == overlapping[0]["failures"]["count"] == 0
    assert versions(sagemaker) == [4, 5, 6, 7, 8]


def test_cli_dry_run_lists_what_would_go_and_changes_nothing(
    sagemaker: Any, resources: LocalResources, capsys: pytest.CaptureFixture[str]
) -> None:
    register(sagemaker, ["Rejected"] * 7 + ["Approved"])

    assert main(["cleanup", seed.GROUP, "--dry-run"]) == 0

    out = capsys.readouterr().out
    assert "v1       would delete" in out
    assert "v7       kept: newest-rejected" in out
    assert "would delete 2; kept 5 newest-rejected; failures 0 (dry-run: nothing changed)" in out
    assert versions(sagemaker) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert inbox(resources)[0]["dry_run"] is True


def test_cli_json_and_a_real_run(sagemaker: Any, capsys: pytest.CaptureFixture[str]) -> None:
    register(sagemaker, ["Rejected"] * 6)
    assert main(["cleanup", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["versions"][0] == {"group": seed.GROUP, "version": "v1", "outcome": "deleted"}
    assert result["groups"][0]["deleted"]["count"] == 1
    assert versions(sagemaker) == [2, 3, 4, 5, 6]


@pytest.mark.filterwarnings("ignore:Exception\\(Throttled\\):UserWarning")  # moto: not in SageMaker's model
def test_throttled_listing_re_reads_and_deletes_back_off_and_the_run_finishes(
    sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(sagemaker, ["Rejected"] * 8)
    throttles = [
        throttle(operation, times=2, monkeypatch=monkeypatch)
        for operation in ("list_model_packages", "describe_model_package", "delete_model_package")
    ]

    (group,) = scheduled_run()["groups"]

    assert [t.throttled for t in throttles] == [2, 2, 2]
    assert group["deleted"]["versions"] == [1, 2, 3]
    assert group["failures"]["count"] == 0
    assert versions(sagemaker) == [4, 5, 6, 7, 8]


def test_a_version_approved_after_the_listing_is_re_checked_and_kept(
    sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    arns = register(sagemaker, ["Rejected"] * 8)  # v1-v3 listed for deletion
    from moto.sagemaker.responses import SageMakerResponse

    original = SageMakerResponse.describe_model_package

    def approve_v2_first(self: Any) -> Any:
        if self._get_param("ModelPackageName") == arns[1]:  # someone approves v2 in Slack meanwhile
            boto3.client("sagemaker").update_model_package(ModelPackageArn=arns[1], ModelApprovalStatus="Approved")
        return original(self)

    monkeypatch.setattr(SageMakerResponse, "describe_model_package", approve_v2_first)
    (group,) = scheduled_run()["groups"]

    assert group["deleted"]["versions"] == [1, 3]
    assert group["kept"]["not-rejected"]["versions"] == [2]
    assert versions(sagemaker) == [2, 4, 5, 6, 7, 8]


def test_without_a_state_table_a_run_and_a_dry_run_fail_clearly_before_anything(
    sagemaker: Any, container: Container, capsys: pytest.CaptureFixture[str]
) -> None:
    register(sagemaker, ["Rejected"] * 7)
    container.settings = replace(container.settings, state_table=None)

    with pytest.raises(ConfigurationError, match="SHEPHERD_STATE_TABLE is not set"):
        handlers.on_cleanup_schedule({}, None)
    assert versions(sagemaker) == [1, 2, 3, 4, 5, 6, 7]

    # What is protected (live, rollback targets, in flight) is in the state table: without it even a
    # dry run cannot say what would go, so it says which setting is missing (exit 4) instead of guessing.
    assert main(["cleanup", "--dry-run"]) == 4
    assert "SHEPHERD_STATE_TABLE is not set" in capsys.readouterr().err
