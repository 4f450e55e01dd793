"""`shepherd retry` and `regate` against moto: the ways back in after a failed release or a version in review."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from devstack import moto_ext, seed
from devstack.moto_ext.endpoints import set_endpoint_status
from devstack.resources import LocalResources
from shepherd_cli import exit_codes
from shepherd_cli.main import main
from tests.support import release as r
from tests.support.gate_events import register, send, state_change


@pytest.fixture
def clock(container: Container, monkeypatch: pytest.MonkeyPatch) -> r.Clock:
    moto_ext.install()
    seed.create_group(boto3.client("sagemaker"))
    r.create_alarms()
    clock = r.Clock()
    container.release_deps.clock = clock
    for module in ("history", "retry", "regate"):  # the CLI uses the same container (and clock)
        monkeypatch.setattr(f"shepherd_cli.commands.{module}.make_container", lambda: container)
    return clock


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def newest_rows(capsys: Any) -> list[tuple[int, str, str]]:
    _, out, _ = run(capsys, "history", r.GROUP, "--json")
    return [(row["version"], row["outcome"], row["reason"]) for row in json.loads(out)["history"]]


def test_retry_releases_again_a_version_whose_release_failed_and_records_who_and_why(
    clock: r.Clock, capsys: Any
) -> None:
    arn = r.register_approved("v1")
    r.decided(arn, "Approved")
    set_endpoint_status(r.STAGING, "Failed", "ResourceLimitExceeded: ml.m5.large")
    r.endpoint_event(r.STAGING)
    assert "skipped" in r.decided(arn, "Approved")  # a replay restarts nothing
    code, out, _ = run(capsys, "retry", r.GROUP, "1", "--reason", "quota raised", "--by", "alice")
    assert (code, "v1: released again" in out) == (exit_codes.OK, True)
    assert newest_rows(capsys)[0] == (1, "RETRY", "by alice (shepherd CLI): quota raised")
    clock.advance(minutes=8)  # the Failed staging endpoint was deleted: it is created afresh
    r.endpoint_event(r.STAGING)
    r.answers(*r.GOOD_ANSWERS)
    result = r.endpoint_event(r.STAGING)["groups"][r.GROUP]
    assert result["stage"] in ("PRODUCTION", "WATCHING")


def test_retry_refuses_a_version_whose_release_did_not_fail(clock: r.Clock, capsys: Any) -> None:
    r.release_to_live(r.register_approved("v1"), clock)
    code, _, err = run(capsys, "retry", r.GROUP, "1", "--reason", "why not")
    assert code == exit_codes.FAILED
    assert "not retried" in err


def test_regate_decides_again_a_version_in_review_after_its_metrics_were_fixed(
    clock: r.Clock, capsys: Any, resources: LocalResources
) -> None:
    sagemaker = boto3.client("sagemaker")
    partial = {key: value for key, value in seed.GOOD.items() if key != "latency_p99_ms"}
    arn = register(sagemaker, "fixed", partial)
    first = send(state_change(arn)).payload
    assert first["outcome"] == "review"
    seed.upload_metrics(boto3.client("s3"), "my-bucket", "fixed", seed.GOOD)  # the metrics fixed
    assert send(state_change(arn)).payload == first  # decided once: another event cannot ask again
    code, out, _ = run(capsys, "regate", r.GROUP, "1", "--reason", "latency measured", "--by", "bo")
    assert (code, "re-gated: approve" in out) == (exit_codes.OK, True)
    described = sagemaker.describe_model_package(ModelPackageName=arn)
    assert described["ModelApprovalStatus"] == "Approved"
    assert described["CustomerMetadataProperties"]["shepherd:regated-by"] == "cli:bo: latency measured"


def test_regate_refuses_a_version_not_in_review(clock: r.Clock, capsys: Any) -> None:
    r.register_approved("v1")
    code, _, err = run(capsys, "regate", r.GROUP, "1", "--reason", "again")
    assert (code, "not re-gated" in err) == (exit_codes.FAILED, True)
