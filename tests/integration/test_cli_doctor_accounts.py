"""`shepherd doctor` on stages in other moto accounts and regions: each stage checked where it is, through its
deploy role (with its external_id, on a read-only session), and a role that cannot be assumed named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.adapters.aws import make_client
from chalicelib.bootstrap import Container
from devstack.accounts_setup import PRODUCTION_AT, PRODUCTION_ROLE, STAGING_AT, STAGING_ROLE
from devstack.resources import LocalResources
from shepherd_cli import exit_codes
from shepherd_cli.doctor.stages import DOCTOR_READS
from tests.fakes.sts import RefusingSts
from tests.integration.test_cli_doctor import GROUP, account, doctor, failed  # noqa: F401 (the fixture)
from tests.support.accounts import use_policy_elsewhere

EXECUTION_ROLE = "model-shepherd-sagemaker-execution"
SAGEMAKER_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def stage_client(role: str, service: str, region: str) -> Any:
    """A client of the role's moto account (in-process: no endpoint URL)."""
    granted = boto3.client("sts").assume_role(RoleArn=role, RoleSessionName="test")["Credentials"]
    return boto3.client(
        service,  # type: ignore[call-overload]
        region_name=region,
        aws_access_key_id=granted["AccessKeyId"],
        aws_secret_access_key=granted["SecretAccessKey"],
        aws_session_token=granted["SessionToken"],
    )


def create_execution_role(role: str) -> None:
    iam = stage_client(role, "iam", "us-east-1")
    iam.create_role(RoleName=EXECUTION_ROLE, AssumeRolePolicyDocument=json.dumps(SAGEMAKER_TRUST))


@pytest.fixture
def elsewhere(
    account: LocalResources,  # noqa: F811 (the fixture)
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> RefusingSts:
    use_policy_elsewhere(tmp_path, monkeypatch, external_id="model-shepherd-fraud")
    sts = RefusingSts(make_client("sts"))

    def client(service: str) -> Any:
        return sts if service == "sts" else make_client(service)

    monkeypatch.setattr("shepherd_cli.commands.doctor.make_container", lambda: Container(client_factory=client))
    return sts


def test_each_stage_is_checked_in_its_own_account_and_region(
    elsewhere: RefusingSts, capsys: pytest.CaptureFixture[str]
) -> None:
    for role in (STAGING_ROLE, PRODUCTION_ROLE):
        create_execution_role(role)
    code, checks = doctor(capsys)
    endpoints = checks[f"release:{GROUP}:endpoints"]["reason"]
    assert "fraud-detection-staging in account 222222222222, region eu-west-1 will be created" in endpoints
    assert "in account 333333333333, region of the app will be created" in endpoints
    roles = checks[f"release:{GROUP}:execution-role"]["reason"]
    assert f"role {EXECUTION_ROLE} in account 222222222222, region eu-west-1 exists" in roles
    assert f"role {EXECUTION_ROLE} in account 333333333333" in roles
    # The app's alarms are in the app's account, not where production serves: the check says so.
    assert "in account 333333333333" in failed(checks)[f"release:{GROUP}:alarms"]
    assert code == exit_codes.FAILED


def test_a_failed_endpoint_in_the_stages_account_fails(
    elsewhere: RefusingSts, capsys: pytest.CaptureFixture[str]
) -> None:
    from moto.sagemaker.models import sagemaker_backends

    sagemaker = stage_client(STAGING_ROLE, "sagemaker", STAGING_AT[1])
    sagemaker.create_model(ModelName="m", ExecutionRoleArn=f"arn:aws:iam::{STAGING_AT[0]}:role/r")
    config = {"VariantName": "AllTraffic", "ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
    sagemaker.create_endpoint_config(EndpointConfigName="c", ProductionVariants=[config])
    sagemaker.create_endpoint(EndpointName="fraud-detection-staging", EndpointConfigName="c")
    sagemaker_backends[STAGING_AT[0]][STAGING_AT[1]].endpoints["fraud-detection-staging"].endpoint_status = "Failed"
    _, checks = doctor(capsys)
    reason = failed(checks)[f"release:{GROUP}:endpoints"]
    assert reason.startswith("endpoint fraud-detection-staging in account 222222222222, region eu-west-1 is Failed")


def test_a_role_that_cannot_be_assumed_fails_by_name_and_its_stage_is_not_checked_at_home(
    elsewhere: RefusingSts, capsys: pytest.CaptureFixture[str]
) -> None:
    create_execution_role(STAGING_ROLE)
    elsewhere.refused.add(PRODUCTION_ROLE)
    code, checks = doctor(capsys)
    reason = failed(checks)[f"release:{GROUP}:production:role"]
    assert reason.startswith(f"cannot assume {PRODUCTION_ROLE}: production (account {PRODUCTION_AT[0]}")
    assert "AssumeRole refused: AccessDenied" in reason
    assert "fraud-detection-prod" not in checks[f"release:{GROUP}:endpoints"]["reason"]  # never looked for at home
    assert checks[f"release:{GROUP}:alarms"]["status"] == "skip"
    assert code == exit_codes.FAILED


def test_the_role_is_assumed_with_its_external_id_and_a_read_only_session(
    elsewhere: RefusingSts, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[dict[str, Any]] = []
    real = elsewhere.real.assume_role

    def assume_role(**request: Any) -> Any:
        asked.append(request)
        return real(**request)

    monkeypatch.setattr(elsewhere.real, "assume_role", assume_role)
    doctor(capsys)
    production = next(request for request in asked if request["RoleArn"] == PRODUCTION_ROLE)
    assert production["ExternalId"] == "model-shepherd-fraud"
    [statement] = json.loads(production["Policy"])["Statement"]
    assert set(statement["Action"]) == set(DOCTOR_READS)


def test_a_stages_own_execution_role_is_looked_for_in_its_account(
    elsewhere: RefusingSts, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = "arn:aws:iam::333333333333:role/fraud-prod-execution"
    use_policy_elsewhere(tmp_path / "own", monkeypatch, external_id="model-shepherd-fraud", execution_role_arn=own)
    create_execution_role(STAGING_ROLE)
    _, checks = doctor(capsys)
    reason = failed(checks)[f"release:{GROUP}:execution-role"]
    assert reason.startswith("role fraud-prod-execution in account 333333333333, region of the app does not exist")
    stage_client(PRODUCTION_ROLE, "iam", "us-east-1").create_role(
        RoleName="fraud-prod-execution", AssumeRolePolicyDocument=json.dumps(SAGEMAKER_TRUST)
    )
    _, checks = doctor(capsys)
    assert "role fraud-prod-execution in account 333333333333" in checks[f"release:{GROUP}:execution-role"]["reason"]
