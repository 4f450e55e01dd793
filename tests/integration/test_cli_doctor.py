"""`shepherd doctor` on moto: every check passing on a set-up account, and each failure named."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from chalicelib.adapters.aws import make_client
from devstack.demo_setup import release_section
from devstack.function_roles import create_roles
from devstack.moto_ext import endpoint_runtime
from devstack.policy_alarms import create_alarms
from devstack.relay.wiring import wire
from devstack.resources import LocalResources
from shepherd_cli import exit_codes
from shepherd_cli.doctor.expected_policies import PROJECT, expected_policies
from shepherd_cli.main import main
from tests.support.local_moto import create_endpoint
from tests.support.local_stack import wait_for
from tests.support.policies import serverless_document

if TYPE_CHECKING:
    from mypy_boto3_sagemaker.type_defs import TagTypeDef

SECRET = "model-shepherd-local/slack"
SECRET_VALUES = {"bot_token": "xoxb-not-to-be-shown", "signing_secret": "s3cr3t-not-to-be-shown"}
GROUP = "fraud-detection-models"
FUNCTIONS = (
    "gate",
    "api_handler",
    "release_decided",
    "release_endpoint",
    "release_alarm",
    "release_reconcile",
    "cleanup",
)


@pytest.fixture
def account(resources: LocalResources, monkeypatch: pytest.MonkeyPatch) -> LocalResources:
    """An account set up as the docs say: resources, the Slack secret, roles, alarms, rules."""
    for name, value in {**resources.environment(), "SHEPHERD_SLACK_SECRET": SECRET}.items():
        monkeypatch.setenv(name, value)
    boto3.client("secretsmanager").create_secret(Name=SECRET, SecretString=json.dumps(SECRET_VALUES))
    create_roles(make_client, {**resources.environment(), "SHEPHERD_SLACK_SECRET": SECRET})
    create_alarms(boto3.client("cloudwatch"), release_section(GROUP, PROJECT / "policies"))
    from app import app

    wire(boto3.client("events"), boto3.client("sqs"), "model-shepherd-local", app)
    return resources


def doctor(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["doctor", "--json"])
    document = json.loads(capsys.readouterr().out)  # exactly one JSON document
    return code, {check["name"]: check for check in document["checks"]}


def failed(checks: dict[str, Any]) -> dict[str, str]:
    return {name: check["reason"] for name, check in checks.items() if check["status"] == "FAIL"}


def test_every_check_passes_on_a_set_up_account(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    code, checks = doctor(capsys)
    assert failed(checks) == {}
    assert code == exit_codes.OK
    assert {"settings", "table:idempotency", "table:state", "topic", "slack-secret"} <= set(checks)
    assert {f"role:{function}" for function in FUNCTIONS} <= set(checks)
    assert {f"release:{GROUP}:{part}" for part in ("endpoints", "instance-types", "execution-role", "alarms")} <= set(
        checks
    )
    assert "will be created" in checks[f"release:{GROUP}:endpoints"]["reason"]
    assert {f"rule:{function}" for function in FUNCTIONS if function != "api_handler"} <= set(checks)


def test_the_table_view_has_one_line_per_check(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor"]) == exit_codes.OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["CHECK", "STATUS", "REASON"]
    assert all(line.split()[1] in ("ok", "skip") for line in lines[2:])


def test_bad_settings_fail_and_nothing_else_is_checked(
    account: LocalResources, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHEPHERD_TOPIC_ARN", "not-an-arn")
    code, checks = doctor(capsys)
    assert code == exit_codes.FAILED
    assert "SHEPHERD_TOPIC_ARN" in failed(checks)["settings"]
    assert checks["aws"]["status"] == "skip"


def test_table_missing_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("dynamodb").delete_table(TableName=account.state_table)
    code, checks = doctor(capsys)
    assert code == exit_codes.FAILED
    assert "does not exist" in failed(checks)["table:state"]


def test_table_with_the_wrong_key_fails(
    account: LocalResources, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    boto3.client("dynamodb").create_table(
        TableName="wrongly-keyed",
        KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "key", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    monkeypatch.setenv("SHEPHERD_IDEMPOTENCY_TABLE", "wrongly-keyed")
    _, checks = doctor(capsys)
    assert "keyed key(HASH), the app needs id(HASH)" in failed(checks)["table:idempotency"]


def test_table_with_ttl_off_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("dynamodb").update_time_to_live(
        TableName=account.state_table, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires_at"}
    )
    _, checks = doctor(capsys)
    assert "enable it on expires_at" in failed(checks)["table:state"]


def test_topic_missing_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("sns").delete_topic(TopicArn=account.topic_arn)
    _, checks = doctor(capsys)
    assert "does not exist" in failed(checks)["topic"]


def test_secret_missing_a_key_fails_and_never_shows_a_value(
    account: LocalResources, capsys: pytest.CaptureFixture[str]
) -> None:
    boto3.client("secretsmanager").put_secret_value(
        SecretId=SECRET, SecretString=json.dumps({"bot_token": SECRET_VALUES["bot_token"]})
    )
    code = main(["doctor", "--json"])
    output = capsys.readouterr()
    checks = {check["name"]: check for check in json.loads(output.out)["checks"]}
    assert code == exit_codes.FAILED
    assert "add signing_secret" in failed(checks)["slack-secret"]
    assert "not-to-be-shown" not in output.out + output.err


def test_secret_missing_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("secretsmanager").delete_secret(SecretId=SECRET, ForceDeleteWithoutRecovery=True)
    _, checks = doctor(capsys)
    assert "does not exist" in failed(checks)["slack-secret"]


def test_endpoint_config_missing_its_role_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("iam").delete_role(RoleName="model-shepherd-sagemaker-execution")
    _, checks = doctor(capsys)
    assert "role model-shepherd-sagemaker-execution does not exist" in failed(checks)[f"release:{GROUP}:execution-role"]


def test_alarm_missing_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("cloudwatch").delete_alarms(AlarmNames=["fraud-detection-prod-5xx"])
    _, checks = doctor(capsys)
    assert "no alarm named fraud-detection-prod-5xx" in failed(checks)[f"release:{GROUP}:alarms"]


def test_role_lacking_an_action_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    environment = {**account.environment(), "SHEPHERD_SLACK_SECRET": SECRET}
    document = expected_policies("local", environment)["gate"]
    for statement in document["Statement"]:
        statement["Action"] = [action for action in statement["Action"] if action != "sns:Publish"]
    document["Statement"] = [statement for statement in document["Statement"] if statement["Action"]]
    boto3.client("iam").put_role_policy(
        RoleName="model-shepherd-local-gate",
        PolicyName="model-shepherd-local-gate",
        PolicyDocument=json.dumps(document),
    )
    _, checks = doctor(capsys)
    assert "does not allow sns:Publish on " + account.topic_arn in failed(checks)["role:gate"]
    assert "role:release_alarm" not in failed(checks)  # each function's role is checked on its own


def test_a_function_not_deployed_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("lambda").delete_function(FunctionName="model-shepherd-local-cleanup")
    _, checks = doctor(capsys)
    assert failed(checks) == {"role:cleanup": "function model-shepherd-local-cleanup does not exist: deploy the app"}


def test_a_function_running_as_a_role_that_is_gone_fails(
    account: LocalResources, capsys: pytest.CaptureFixture[str]
) -> None:
    iam = boto3.client("iam")
    iam.delete_role_policy(
        RoleName="model-shepherd-local-release_alarm", PolicyName="model-shepherd-local-release_alarm"
    )
    iam.delete_role(RoleName="model-shepherd-local-release_alarm")
    _, checks = doctor(capsys)
    assert failed(checks) == {
        "role:release_alarm": "role model-shepherd-local-release_alarm does not exist: deploy the app"
    }


def test_a_function_running_as_another_functions_role_fails(
    account: LocalResources, capsys: pytest.CaptureFixture[str]
) -> None:
    """The cleanup's role lacks what the releasing function needs: the role it runs as is the one simulated."""
    cleanup_role = boto3.client("iam").get_role(RoleName="model-shepherd-local-cleanup")["Role"]["Arn"]
    boto3.client("lambda").update_function_configuration(
        FunctionName="model-shepherd-local-release_decided", Role=cleanup_role
    )
    _, checks = doctor(capsys)
    assert set(failed(checks)) == {"role:release_decided"}
    assert (
        "role model-shepherd-local-cleanup does not allow sagemaker:DescribeEndpoint on "
        in failed(checks)["role:release_decided"]
    )


def test_rule_disabled_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("events").disable_rule(Name="model-shepherd-local-gate")
    code, checks = doctor(capsys)
    assert code == exit_codes.FAILED
    assert "DISABLED: enable it" in failed(checks)["rule:gate"]


def queue_arn(function: str) -> str:
    return f"arn:aws:sqs:us-east-1:123456789012:{function}"


def retarget(rule: str, *arns: str) -> None:
    events = boto3.client("events")
    current = [target["Id"] for target in events.list_targets_by_rule(Rule=rule)["Targets"]]
    if current:
        events.remove_targets(Rule=rule, Ids=current)
    if arns:
        events.put_targets(Rule=rule, Targets=[{"Id": f"t{n}", "Arn": arn} for n, arn in enumerate(arns)])


def test_rule_without_a_target_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    retarget("model-shepherd-local-gate")
    code, checks = doctor(capsys)
    assert code == exit_codes.FAILED
    assert failed(checks) == {
        "rule:gate": "rule model-shepherd-local-gate has no target, it should start model-shepherd-local-gate:"
        " deploy the app"
    }


def test_rule_targeting_another_function_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    retarget("model-shepherd-local-gate", queue_arn("model-shepherd-local-release_decided"))
    _, checks = doctor(capsys)
    assert failed(checks) == {
        "rule:gate": "rule model-shepherd-local-gate targets model-shepherd-local-release_decided,"
        " not function model-shepherd-local-gate: deploy the app"
    }


def test_a_deployed_rule_targeting_its_lambda_function_passes(
    account: LocalResources, capsys: pytest.CaptureFixture[str]
) -> None:
    retarget("model-shepherd-local-gate", "arn:aws:lambda:us-east-1:123456789012:function:model-shepherd-local-gate")
    code, checks = doctor(capsys)
    assert code == exit_codes.OK
    assert (
        checks["rule:gate"]["reason"]
        == "rule model-shepherd-local-gate is enabled and starts model-shepherd-local-gate"
    )


def test_no_rule_for_a_function_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    retarget("model-shepherd-local-release_alarm")
    boto3.client("events").delete_rule(Name="model-shepherd-local-release_alarm")
    _, checks = doctor(capsys)
    assert failed(checks) == {
        "rule:release_alarm": "no rule named model-shepherd-local-* targets function"
        " model-shepherd-local-release_alarm: deploy the app"
    }


def test_rule_with_another_event_pattern_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    boto3.client("events").put_rule(
        Name="model-shepherd-local-gate", EventPattern=json.dumps({"source": ["aws.sagemaker"]}), State="ENABLED"
    )
    _, checks = doctor(capsys)
    assert failed(checks) == {
        "rule:gate": "rule model-shepherd-local-gate has an event pattern other than the app's: deploy the app"
    }


def test_schedule_function_started_by_an_event_rule_fails(
    account: LocalResources, capsys: pytest.CaptureFixture[str]
) -> None:
    events = boto3.client("events")
    retarget("model-shepherd-local-cleanup")
    events.delete_rule(Name="model-shepherd-local-cleanup")
    events.put_rule(Name="model-shepherd-local-cleanup", EventPattern=json.dumps({"source": ["aws.sagemaker"]}))
    retarget("model-shepherd-local-cleanup", queue_arn("model-shepherd-local-cleanup"))
    _, checks = doctor(capsys)
    assert failed(checks) == {
        "rule:cleanup": "rule model-shepherd-local-cleanup has no schedule, the app's runs on one: deploy the app"
    }


def test_a_stray_rule_of_the_stage_fails_by_its_name(
    account: LocalResources, capsys: pytest.CaptureFixture[str]
) -> None:
    events = boto3.client("events")
    events.put_rule(Name="model-shepherd-local-retired", ScheduleExpression="rate(1 hour)")
    events.put_rule(Name="model-shepherd-local-elsewhere", ScheduleExpression="rate(1 hour)")
    retarget("model-shepherd-local-elsewhere", queue_arn("someone-elses-queue"))
    _, checks = doctor(capsys)
    assert failed(checks) == {
        "rule:retired": "rule model-shepherd-local-retired has no target: deploy the app, or delete the rule",
        "rule:elsewhere": "rule model-shepherd-local-elsewhere targets someone-elses-queue, none of the app's"
        " functions: deploy the app",
    }


def test_a_failed_endpoint_fails(account: LocalResources, capsys: pytest.CaptureFixture[str]) -> None:
    fails: list[TagTypeDef] = [{"Key": f"{endpoint_runtime.TAG_PREFIX}create-fails", "Value": "true"}]
    sagemaker = create_endpoint("fraud-detection-staging", tags=fails)
    wait_for(lambda: sagemaker.describe_endpoint(EndpointName="fraud-detection-staging")["EndpointStatus"] == "Failed")
    _, checks = doctor(capsys)
    assert failed(checks) == {
        f"release:{GROUP}:endpoints": "endpoint fraud-detection-staging is Failed: delete it or fix it before a release"
    }


def test_a_policy_naming_a_user_as_its_execution_role_fails_as_a_policy(
    account: LocalResources, capsys: pytest.CaptureFixture[str], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.loads((PROJECT / "policies" / f"{GROUP}.json").read_text())
    document["release"]["execution_role_arn"] = "arn:aws:iam::123456789012:user/someone"
    (tmp_path / f"{GROUP}.json").write_text(json.dumps(document))
    monkeypatch.setenv("SHEPHERD_POLICY_DIR", str(tmp_path))
    _, checks = doctor(capsys)
    assert failed(checks)[f"policy:{GROUP}"].endswith(": fix the policy file")
    assert f"release:{GROUP}:execution-role" not in checks


def test_a_bad_instance_type_fails(
    account: LocalResources, capsys: pytest.CaptureFixture[str], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.loads((PROJECT / "policies" / f"{GROUP}.json").read_text())
    document["release"]["staging"]["instance_type"] = "ml.m5.huge"
    (tmp_path / f"{GROUP}.json").write_text(json.dumps(document))
    monkeypatch.setenv("SHEPHERD_POLICY_DIR", str(tmp_path))
    _, checks = doctor(capsys)
    assert "no instance type ml.m5.huge" in failed(checks)[f"release:{GROUP}:instance-types"]


def test_a_batch_policy_has_no_endpoints_and_its_transform_instance_type(
    account: LocalResources, capsys: pytest.CaptureFixture[str], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.policies import batch_document

    (tmp_path / f"{GROUP}.json").write_text(json.dumps(batch_document()))
    monkeypatch.setenv("SHEPHERD_POLICY_DIR", str(tmp_path))
    _, checks = doctor(capsys)
    assert not {f"release:{GROUP}:endpoints", f"release:{GROUP}:instance-types"} & set(failed(checks))
    assert checks[f"release:{GROUP}:endpoints"]["reason"].startswith("batch: no endpoint")
    assert checks[f"release:{GROUP}:instance-types"]["reason"] == "batch: ml.m5.large for the smoke transform job"


def test_a_serverless_policy_has_no_instance_types_to_check(
    account: LocalResources, capsys: pytest.CaptureFixture[str], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / f"{GROUP}.json").write_text(json.dumps(serverless_document()))
    monkeypatch.setenv("SHEPHERD_POLICY_DIR", str(tmp_path))
    _, checks = doctor(capsys)
    assert f"release:{GROUP}:instance-types" not in failed(checks)
    assert checks[f"release:{GROUP}:instance-types"]["reason"] == "serverless: no instance types"


def test_an_ssm_parameter_with_a_webhook_passes(
    account: LocalResources, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    boto3.client("ssm").put_parameter(
        Name="/model-shepherd/local/slack",
        Type="SecureString",
        Value=json.dumps({"webhook_url": "https://example.invalid/hook", "signing_secret": "not-to-be-shown"}),
    )
    monkeypatch.setenv("SHEPHERD_SLACK_SECRET", "ssm:/model-shepherd/local/slack")
    code = main(["doctor", "--json"])
    output = capsys.readouterr().out
    checks = {check["name"]: check for check in json.loads(output)["checks"]}
    assert checks["slack-secret"]["status"] == "ok"
    assert "webhook_url" in checks["slack-secret"]["reason"]
    assert "not-to-be-shown" not in output and "example.invalid" not in output
    assert code == exit_codes.FAILED  # the role was made for the Secrets Manager secret, not this parameter
    assert "ssm:GetParameter" in failed(checks)["role:gate"]


def test_aws_unreachable_exits_4(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    for name, value in {
        "SHEPHERD_IDEMPOTENCY_TABLE": "model-shepherd-local-idempotency",
        "SHEPHERD_STATE_TABLE": "model-shepherd-local-state",
        "SHEPHERD_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:model-shepherd-local",
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["doctor", "--json"]) == exit_codes.ENVIRONMENT
    assert "cannot reach AWS" in capsys.readouterr().err
