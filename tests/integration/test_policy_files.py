"""Policy files: the example passes; every kind of broken policy is refused with a reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.shared.errors import InvalidPolicyError, PolicyNotFoundError
from shepherd_cli.main import main
from tests.support.policies import serverless_document

POLICIES = Path(__file__).parents[2] / "policies"


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    return tmp_path  # policies only: the schema ships inside the package


def write(directory: Path, group: str, document: Any) -> Path:
    path = directory / f"{group}.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def example() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((POLICIES / "fraud-detection-models.json").read_text())
    return document


def test_every_shipped_policy_is_valid() -> None:
    repository = FilePolicyRepository(POLICIES)
    assert repository.groups() == ["fraud-detection-models"]
    assert repository.get("fraud-detection-models").group == "fraud-detection-models"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"floors": {"properties": {"auc": {"minimum": "high"}}, "required": ["auc"]}}, "is not of type 'number'"),
        ({"floors": {"properties": {"auc": {"pattern": "x"}}, "required": ["auc"]}}, "Additional properties"),
        ({"floors": {"properties": {"auc": {"minimum": 0.8}}}}, "bounded metrics must be required: auc"),
        ({"mode": "yolo"}, "'yolo' is not one of"),
        ({"on_invalid_metrics": "approve"}, "'approve' is not one of"),
        ({"champion_margins": {"auc": {"better": "higher"}}}, "needs exactly one of: min_gain, or min_gain_pct"),
        (
            {"champion_margins": {"auc": {"better": "higher", "min_gain": 1, "max_loss": 1}}},
            "needs exactly one of: min_gain, or min_gain_pct, or max_loss, or max_loss_pct .it has max_loss, min_gain",
        ),
        ({"group": "other-models"}, "does not match the file name"),
        ({"surprise": 1}, "Additional properties are not allowed"),
    ],
)
def test_broken_policies_are_refused_with_a_reason(policy_dir: Path, change: dict[str, Any], why: str) -> None:
    write(policy_dir, "fraud-detection-models", {**example(), **change})
    with pytest.raises(InvalidPolicyError, match=why.replace("(", r"\(")):
        FilePolicyRepository(policy_dir).get("fraud-detection-models")


def test_a_problem_beyond_the_schema_is_not_called_a_schema_failure(policy_dir: Path) -> None:
    document = example()
    document["floors"]["properties"]["auc"]["maximum"] = 0.5  # the schema admits it; the bounds cannot both hold
    write(policy_dir, "fraud-detection-models", document)
    with pytest.raises(InvalidPolicyError) as refused:
        FilePolicyRepository(policy_dir).get("fraud-detection-models")
    assert str(refused.value).startswith("fraud-detection-models.json is not a valid policy: auc: minimum 0.8")
    assert "schema" not in str(refused.value)


def test_validate_refuses_a_policy_directory_that_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policy", "validate", "--policy-dir", str(tmp_path / "polices")]) == 1  # a typo: not "ok"
    assert f"no policy directory at {tmp_path / 'polices'}" in capsys.readouterr().err
    assert main(["policy", "validate", "--policy-dir", str(tmp_path / "polices"), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["exit_code"] == 1


def test_validate_refuses_an_empty_policy_directory_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policy", "validate", "--policy-dir", str(tmp_path)]) == 1  # no group would be served
    assert f"no policy files in {tmp_path}" in capsys.readouterr().err
    assert main(["policy", "validate", "--policy-dir", str(tmp_path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["exit_code"] == 1


def test_a_policy_that_is_not_json_is_invalid(policy_dir: Path) -> None:
    write(policy_dir, "g", "{not json")
    with pytest.raises(InvalidPolicyError, match="not readable JSON"):
        FilePolicyRepository(policy_dir).get("g")


def test_no_file_means_no_policy(policy_dir: Path) -> None:
    with pytest.raises(PolicyNotFoundError):
        FilePolicyRepository(policy_dir).get("unknown-models")


def test_a_group_with_capitals_is_found_by_its_lower_case_name_as_arns_spell_it(policy_dir: Path) -> None:
    write(policy_dir, "Fraud-Models", {**example(), "group": "Fraud-Models"})
    repository = FilePolicyRepository(policy_dir)
    assert repository.get("fraud-models").group == "Fraud-Models"  # a Slack button's or an alarm's group
    assert repository.get("Fraud-Models").group == "Fraud-Models"
    with pytest.raises(PolicyNotFoundError):
        repository.get("fraud-models-2")


def test_cli_policy_validate_exit_codes(policy_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(policy_dir, "fraud-detection-models", example())
    others = {key: value for key, value in example().items() if key != "release"}  # its endpoints are v1's
    bad = write(policy_dir, "bad-models", {**others, "group": "bad-models", "mode": "yolo"})
    assert main(["policy", "validate", str(good), "--policy-dir", str(policy_dir)]) == 0
    capsys.readouterr()
    assert main(["policy", "validate", str(good), str(bad), "--policy-dir", str(policy_dir), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and report["files"][str(good)] == []


def test_a_policy_directory_without_a_schema_file_serves_the_gate(policy_dir: Path) -> None:
    write(policy_dir, "fraud-detection-models", example())
    assert not (policy_dir / "schema.json").exists()
    assert FilePolicyRepository(policy_dir).get("fraud-detection-models").floors.metrics == {"auc", "precision"}


def test_validate_checks_the_directory_the_app_reads(
    policy_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(policy_dir, "fraud-detection-models", {**example(), "champion_margins": {"log_los": LOWER_MARGIN}})
    monkeypatch.setenv("SHEPHERD_POLICY_DIR", str(policy_dir))
    assert main(["policy", "validate", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["directory"] == str(policy_dir)
    [problems] = report["files"].values()
    assert "log_los" in problems[0]


LOWER_MARGIN = {"better": "lower", "max_loss": 0.01}


def with_release(group: str, staging: str, production: str) -> dict[str, Any]:
    document = {**example(), "group": group}
    document["release"] = {
        **document["release"],
        "staging": {**document["release"]["staging"], "endpoint_name": staging},
        "production": {**document["release"]["production"], "endpoint_name": production},
    }
    return document


def test_two_groups_on_one_endpoint_are_both_refused(policy_dir: Path) -> None:
    write(policy_dir, "fraud-detection-models", with_release("fraud-detection-models", "fraud-stg", "shared-prod"))
    write(policy_dir, "churn-models", with_release("churn-models", "churn-stg", "shared-prod"))
    repository = FilePolicyRepository(policy_dir)
    for group, other in (("fraud-detection-models", "churn-models"), ("churn-models", "fraud-detection-models")):
        with pytest.raises(InvalidPolicyError, match=f"'shared-prod' is also in the policy of {other}"):
            repository.get(group)


def test_two_groups_on_one_endpoint_name_in_different_accounts_are_both_valid(policy_dir: Path) -> None:
    churn = with_release("churn-models", "churn-stg", "shared-prod")
    churn["release"]["production"].update(
        account="333333333333", role_arn="arn:aws:iam::333333333333:role/model-shepherd-deploy"
    )
    write(policy_dir, "fraud-detection-models", with_release("fraud-detection-models", "fraud-stg", "shared-prod"))
    write(policy_dir, "churn-models", churn)
    repository = FilePolicyRepository(policy_dir)
    assert repository.get("churn-models").section("release")["production"]["account"] == "333333333333"
    assert repository.get("fraud-detection-models").section("release")["production"]["endpoint_name"] == "shared-prod"


@pytest.mark.parametrize(
    ("endpoint", "why"),
    [("fraud_prod", "does not match"), ("x" * 64, "does not match"), ("-prod", "does not match")],
)
def test_endpoint_names_sagemaker_refuses_are_refused(policy_dir: Path, endpoint: str, why: str) -> None:
    write(policy_dir, "fraud-detection-models", with_release("fraud-detection-models", "fraud-stg", endpoint))
    with pytest.raises(InvalidPolicyError, match=why):
        FilePolicyRepository(policy_dir).get("fraud-detection-models")


def test_the_schema_endpoint_name_rule_is_sagemakers() -> None:
    import botocore.session

    from chalicelib.adapters.policy_files import SCHEMA_PATH

    shape = botocore.session.get_session().get_service_model("sagemaker").shape_for("EndpointName")
    ours = json.loads(SCHEMA_PATH.read_text())["$defs"]["release_endpoint"]["properties"]["endpoint_name"]
    assert ours["pattern"] == f"^{shape.metadata['pattern']}$"  # botocore's pattern, anchored
    assert shape.metadata["max"] == 63  # what {0,62} after the first character allows


def test_validate_with_check_aws_names_the_alarms_that_do_not_exist(
    policy_dir: Path, aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    import boto3

    from tests.support.alarms import errors_alarm

    errors_alarm("fraud-detection-prod-5xx")
    path = write(policy_dir, "fraud-detection-models", example())
    assert main(["policy", "validate", str(path), "--policy-dir", str(policy_dir)]) == 0
    assert main(["policy", "validate", str(path), "--policy-dir", str(policy_dir), "--check-aws"]) == 1
    out = capsys.readouterr().out
    assert "no CloudWatch alarm named 'fraud-detection-prod-latency-p99'" in out
    assert "'fraud-detection-prod-5xx'" not in out
    assert boto3.client("cloudwatch").describe_alarms()["MetricAlarms"]


def test_validate_refuses_a_serverless_canary_and_names_the_deployments_it_allows(
    policy_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = serverless_document()
    document["release"]["deployment"] = {"type": "CANARY", "canary_size": {"type": "INSTANCE_COUNT", "value": 1}}
    path = write(policy_dir, "fraud-detection-models", document)
    assert main(["policy", "validate", str(path), "--policy-dir", str(policy_dir)]) == 1
    out = capsys.readouterr().out
    assert "release.deployment.type: CANARY is not available for a serverless target" in out
    assert "allowed: ALL_AT_ONCE" in out
    with pytest.raises(InvalidPolicyError, match="allowed: ALL_AT_ONCE"):
        FilePolicyRepository(policy_dir).get("fraud-detection-models")  # as the app loads it
    write(policy_dir, "fraud-detection-models", serverless_document())
    assert main(["policy", "validate", str(path), "--policy-dir", str(policy_dir)]) == 0
