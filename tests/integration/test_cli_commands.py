"""The operator CLI against moto: every command, its output for people and scripts, its error paths."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from chalicelib.shared.settings import load_settings
from devstack import seed
from devstack.resources import create_resources
from shepherd_cli import exit_codes
from shepherd_cli.main import main

GROUP = seed.GROUP
REPORT_SHAPE: dict[str, Any] = {
    "binary_classification_metrics": {
        "auc": {"value": 0.96, "standard_deviation": 0.01},
        "precision": {"value": 0.92},
        "recall": {"value": 0.85},
    },
    "latency_p99_ms": 44,
}


@pytest.fixture(scope="module")
def registry() -> Iterator[tuple[dict[int, str], dict[str, str]]]:
    """Once per module (seeding costs seconds): v1 good (approved), v2 bad (rejected), v3 borderline
    (review), v4 in SageMaker's report shape, undecided. Tests that change a version register their own."""
    from moto import mock_aws

    with pytest.MonkeyPatch.context() as patch, mock_aws():
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }.items():
            patch.setenv(name, value)
        environment = create_resources(boto3.client).environment()
        for name, value in environment.items():
            patch.setenv(name, value)
        container = Container(settings=load_settings())
        sagemaker, s3 = boto3.client("sagemaker"), boto3.client("s3")
        seed.create_group(sagemaker)
        arns = {}
        for number, (name, metrics) in enumerate(
            [("good", seed.GOOD), ("bad", seed.BAD), ("borderline", seed.BORDERLINE), ("report", REPORT_SHAPE)], 1
        ):
            arns[number] = seed.register_version(sagemaker, seed.upload_metrics(s3, "my-bucket", name, metrics), name)
            if number < 4:
                container.gate_once.decide(arns[number], "PendingManualApproval")
        yield arns, environment


@pytest.fixture
def stack_env(registry: tuple[dict[int, str], dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> dict[int, str]:
    """The seeded versions, with the module's environment set again for this test."""
    arns, environment = registry
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return arns


def fresh_version(name: str) -> tuple[int, str]:
    """A new undecided version, for a test that changes it."""
    uri = seed.upload_metrics(boto3.client("s3"), "my-bucket", name, seed.BORDERLINE)
    arn = seed.register_version(boto3.client("sagemaker"), uri, name)
    return int(arn.rsplit("/", 1)[1]), arn


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, _ = run(capsys, *argv, "--json")
    assert code == exit_codes.OK
    return json.loads(out)


def test_status_shows_each_version_its_status_and_the_gates_outcome(stack_env: Any, capsys: Any) -> None:
    code, out, _ = run(capsys, "status", GROUP)
    assert code == exit_codes.OK
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("v")}
    assert "Approved" in lines["v1"]
    assert "approve" in lines["v1"]
    assert "Rejected" in lines["v2"]
    assert "reject" in lines["v2"]
    assert "PendingManualApproval" in lines["v3"]
    assert "review" in lines["v3"]
    assert "auc" in out
    assert "0.952" in lines["v3"]


def test_status_json_for_scripts(stack_env: Any, capsys: Any) -> None:
    [group] = as_json(capsys, "status")["groups"]
    assert group["group"] == GROUP
    assert [(v["version"], v["status"]) for v in group["versions"] if v["version"] <= 4] == [
        (4, "PendingManualApproval"),
        (3, "PendingManualApproval"),
        (2, "Rejected"),
        (1, "Approved"),
    ]
    assert group["versions"][0]["metrics"]["auc"] == 0.96  # read from S3, report shape flattened


def test_status_marks_the_live_version(stack_env: dict[int, str], capsys: Any, monkeypatch: Any) -> None:
    from tests.fakes.gate import FakeLiveVersions

    container = Container(live_versions=FakeLiveVersions({GROUP: stack_env[1]}))
    monkeypatch.setattr("shepherd_cli.commands.status.make_container", lambda: container)
    _code, out, _ = run(capsys, "status", GROUP)
    assert "LIVE: v1" in out
    assert "LIVE" in next(line for line in out.splitlines() if line.startswith("v1 "))


def test_unknown_group_is_not_found(stack_env: Any, capsys: Any) -> None:
    code, _, err = run(capsys, "status", "no-such-group")
    assert code == exit_codes.NOT_FOUND
    assert "no model package group named 'no-such-group'" in err


def test_compare_shows_deltas_and_verdicts_in_the_policys_directions(stack_env: Any, capsys: Any) -> None:
    code, out, _ = run(capsys, "compare", GROUP, "1", "3")
    assert code == exit_codes.OK
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
    assert rows["auc"][-1] == "better"
    assert rows["auc"][3] == "+0.002"
    assert rows["latency_p99_ms"][-1] == "worse"
    assert rows["latency_p99_ms"][4] == "+45.24%"
    assert rows["f1"][-1] == "same"


def test_compare_across_metrics_shapes_as_json(stack_env: Any, capsys: Any) -> None:
    found = as_json(capsys, "compare", GROUP, "1", "4")
    rows = {row["metric"]: row for row in found["metrics"]}
    assert rows["auc"]["first"] == 0.95
    assert rows["auc"]["second"] == 0.96
    assert rows["auc"]["verdict"] == "better"
    assert rows["f1"]["verdict"] == "only in v1"


def test_compare_unknown_version_is_not_found(stack_env: Any, capsys: Any) -> None:
    code, _, err = run(capsys, "compare", GROUP, "1", "99")
    assert code == exit_codes.NOT_FOUND
    assert "has no version 99" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", GROUP, "1"],
        ["compare", GROUP, "one", "2"],
        ["compare", GROUP, "0", "2"],
        ["evaluate", GROUP],
        ["approve", GROUP, "1"],
        ["approve", GROUP, "1", "--reason", "  "],
        ["frobnicate"],
    ],
)
def test_bad_arguments_exit_with_usage(argv: list[str], capsys: Any) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == exit_codes.USAGE
    assert "usage:" in capsys.readouterr().err


def test_evaluate_gives_the_verdict_and_changes_nothing(stack_env: dict[int, str], capsys: Any) -> None:
    code, out, _ = run(capsys, "evaluate", GROUP, "4")
    assert code == exit_codes.OK
    assert "APPROVE" in out or "REVIEW" in out
    assert "nothing changed" in out
    described = boto3.client("sagemaker").describe_model_package(ModelPackageName=stack_env[4])
    assert described["ModelApprovalStatus"] == "PendingManualApproval"
    assert "shepherd:outcome" not in described.get("CustomerMetadataProperties", {})


def test_evaluate_with_another_policy_file(stack_env: Any, capsys: Any, tmp_path: Path) -> None:
    document = json.loads((Path(__file__).parents[2] / "policies" / f"{GROUP}.json").read_text())
    document["champion_margins"] = {}  # no champion to beat: the borderline version now passes
    candidate = tmp_path / "candidate.json"
    candidate.write_text(json.dumps(document))
    found = as_json(capsys, "evaluate", GROUP, "3", "--policy", str(candidate))
    assert (found["outcome"], found["changed"]) == ("approve", False)


def test_evaluate_with_an_invalid_policy_file_fails(stack_env: Any, capsys: Any, tmp_path: Path) -> None:
    candidate = tmp_path / "broken.json"
    candidate.write_text(json.dumps({"group": GROUP, "mode": "sometimes"}))
    code, _, err = run(capsys, "evaluate", GROUP, "3", "--policy", str(candidate))
    assert code == exit_codes.FAILED
    assert "broken.json is not a valid policy" in err


def test_evaluate_with_a_directory_for_policy_says_it_takes_a_file(capsys: Any, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["evaluate", GROUP, "2", "--policy", str(tmp_path)])
    assert raised.value.code == exit_codes.USAGE
    assert f"--policy: takes a policy file (<group>.json), and {tmp_path} is a directory" in capsys.readouterr().err


def test_approve_records_who_and_why_and_keeps_the_teams_metadata(stack_env: dict[int, str], capsys: Any) -> None:
    number, arn = fresh_version("to-approve")
    code, _out, _ = run(capsys, "approve", GROUP, str(number), "--reason", "latency fine for batch", "--by", "ana")
    assert code == exit_codes.OK
    described = boto3.client("sagemaker").describe_model_package(ModelPackageName=arn)
    assert described["ModelApprovalStatus"] == "Approved"
    assert described["ApprovalDescription"] == "Approved by ana (shepherd CLI): latency fine for batch"
    assert described["CustomerMetadataProperties"]["training_samples"] == "1500000"
    assert described["CustomerMetadataProperties"]["shepherd:decided-by"] == "cli:ana"  # the history's approver


@pytest.mark.parametrize(
    "command", [("approve", GROUP, "1"), ("reject", GROUP, "1"), ("rollback", GROUP), ("regate", GROUP, "1")]
)
def test_a_reason_longer_than_slacks_modal_takes_is_refused_and_nothing_sent(
    stack_env: dict[int, str], capsys: Any, command: tuple[str, ...]
) -> None:
    """Kept in ApprovalDescription (1,024), a DynamoDB item (400 KB) and an SNS message (256 KB): bounded first."""
    before = boto3.client("sagemaker").describe_model_package(ModelPackageName=stack_env[1])
    with pytest.raises(SystemExit) as raised:
        main([*command, "--reason", "x" * 501])
    assert raised.value.code == exit_codes.USAGE
    assert "at most 500 characters, not 501" in capsys.readouterr().err
    after = boto3.client("sagemaker").describe_model_package(ModelPackageName=stack_env[1])
    assert after["ModelApprovalStatus"] == before["ModelApprovalStatus"]


def test_approving_twice_changes_nothing_the_second_time(stack_env: Any, capsys: Any) -> None:
    number, _ = fresh_version("twice")
    run(capsys, "approve", GROUP, str(number), "--reason", "ok", "--by", "ana")
    code, out, _ = run(capsys, "approve", GROUP, str(number), "--reason", "again", "--by", "bo")
    assert code == exit_codes.OK
    assert "already Approved: nothing changed" in out


def test_reject_is_refused_for_the_live_version(stack_env: dict[int, str], capsys: Any, monkeypatch: Any) -> None:
    from tests.fakes.gate import FakeLiveVersions

    container = Container(live_versions=FakeLiveVersions({GROUP: stack_env[1]}))
    monkeypatch.setattr("shepherd_cli.commands.decide.make_container", lambda: container)
    code, out, err = run(capsys, "reject", GROUP, "1", "--reason", "drift")
    assert code == exit_codes.FAILED
    assert "is LIVE: roll back first" in err and not out  # a refusal is an error, on stderr like the others
    status = boto3.client("sagemaker").describe_model_package(ModelPackageName=stack_env[1])["ModelApprovalStatus"]
    assert status == "Approved"


def test_reject_unknown_version_is_not_found(stack_env: Any, capsys: Any) -> None:
    code, _, _err = run(capsys, "reject", GROUP, "42", "--reason", "x")
    assert code == exit_codes.NOT_FOUND


def test_unreachable_aws_is_an_environment_error(capsys: Any, monkeypatch: Any) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    code, _, err = run(capsys, "status", GROUP)
    assert code == exit_codes.ENVIRONMENT
    assert "cannot reach AWS" in err


def test_compare_with_unreadable_metrics_says_which_and_fails(stack_env: Any, capsys: Any) -> None:
    uri = seed.upload_metrics(boto3.client("s3"), "my-bucket", "broken", "{not json")
    arn = seed.register_version(boto3.client("sagemaker"), uri, "broken")
    code, _, err = run(capsys, "compare", GROUP, "1", arn.rsplit("/", 1)[1])
    assert code == exit_codes.FAILED
    assert "metrics document is not JSON" in err


def test_throttled_beyond_the_retries_is_a_clear_failure(capsys: Any, monkeypatch: Any) -> None:
    from botocore.exceptions import ClientError

    class Throttled:
        def describe_model_package_group(self, **_: Any) -> None:
            raise ClientError(
                {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "DescribeModelPackageGroup"
            )

    monkeypatch.setattr(
        "shepherd_cli.commands.compare.make_container", lambda: Container(client_factory=lambda service: Throttled())
    )
    code, _, err = run(capsys, "compare", GROUP, "1", "2")
    assert code == exit_codes.FAILED
    assert "ThrottlingException" in err


def test_status_shows_each_stages_account_and_region(
    stack_env: Any, capsys: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    from tests.support.policies import example_document, policies_with_release

    release = example_document()["release"]
    staging = {**release["staging"], "account": "222222222222", "region": "eu-west-1"}
    staging["role_arn"] = "arn:aws:iam::222222222222:role/model-shepherd-deploy"
    monkeypatch.setenv("SHEPHERD_POLICY_DIR", str(policies_with_release(tmp_path / "policies", staging=staging)))
    _code, out, _ = run(capsys, "status", GROUP)
    assert "staging: fraud-detection-staging (account 222222222222, region eu-west-1)" in out
    assert "production: fraud-detection-prod (the app's account and region)" in out
    [group] = as_json(capsys, "status", GROUP)["groups"]
    assert group["stages"]["staging"] == {
        "endpoint": "fraud-detection-staging",
        "account": "222222222222",
        "region": "eu-west-1",
    }
    assert group["forwarding"] == []


def test_status_says_when_a_stage_accounts_events_seem_not_to_arrive(
    stack_env: Any, capsys: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    from datetime import UTC, datetime

    from chalicelib.bootstrap import Container
    from tests.support.policies import example_document, policies_with_release

    production = {**example_document()["release"]["production"]}
    production["role_arn"] = "arn:aws:iam::333333333333:role/model-shepherd-deploy"
    monkeypatch.setenv("SHEPHERD_POLICY_DIR", str(policies_with_release(tmp_path / "policies", production=production)))
    arrivals = Container().release_deps.arrivals
    assert arrivals is not None
    arrivals.suspect("333333333333", datetime.now(UTC))
    line = "events from account 333333333333 seem not to arrive: check the forwarding rule (infra/target-account.json)"
    _code, out, _ = run(capsys, "status", GROUP)
    assert line in out
    [group] = as_json(capsys, "status", GROUP)["groups"]
    assert group["forwarding"] == [line]
    arrivals.heard("333333333333", datetime.now(UTC))
    [group] = as_json(capsys, "status", GROUP)["groups"]
    assert group["forwarding"] == []
