"""A group with SageMaker's longest name (63 characters) and packages that already carry the team's own
metadata keys (48, then all 50): the gate's decision, a Slack approval and a CLI decision are each accepted
by the strict world (every request checked as AWS checks it; a refused one fails the test even if the code
swallowed it), the team's keys are never changed, and when there is no room for ours the decision is still
applied and people are told."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.model_packages.approvals import approved_by
from chalicelib.bootstrap import Container, use_container
from chalicelib.shared.decision_record import DECIDED_BY_KEY, OUTCOME_KEY
from chalicelib.shared.metadata_rules import MAX_KEYS
from chalicelib.shared.settings import load_settings
from devstack import demo_setup, seed
from devstack.fake_slack import FakeSlack
from devstack.resources import LocalResources
from devstack.slack_local import create_slack_secret, slack_environment
from shepherd_cli.main import main
from tests.support.gate_events import send, state_change
from tests.support.sns_inbox import inbox

GROUP = "Payments-Risk-Scoring-Models-For-The-EMEA-Region-Card-Not-Prese"
APPROVER = "U024BE7LH"  # in the example policy's slack.approvers
NO_ROOM = "not recorded in the package's metadata (SageMaker allows 50 keys)"


@pytest.fixture(scope="module", autouse=True)
def _policies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The example policy under the long group's name, for the whole module: the roles the functional tests
    check every call against are rendered from these policies too, after each test's own fixtures are gone."""
    policies = demo_setup.demo_policies(tmp_path_factory.mktemp("policies"))
    example = json.loads((policies / f"{seed.GROUP}.json").read_text())
    release = example["release"]  # endpoints of its own: two groups may not share one
    release["staging"]["endpoint_name"], release["production"]["endpoint_name"] = "Payments-Staging", "Payments-Prod"
    (policies / f"{GROUP}.json").write_text(json.dumps({**example, "group": GROUP}))
    before = os.environ.get("SHEPHERD_POLICY_DIR")
    os.environ["SHEPHERD_POLICY_DIR"] = str(policies)
    yield
    if before is None:
        del os.environ["SHEPHERD_POLICY_DIR"]
    else:
        os.environ["SHEPHERD_POLICY_DIR"] = before


@pytest.fixture
def slack(resources: LocalResources, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    """The app set up for the long group, with the fake Slack."""
    fake = FakeSlack().start()
    create_slack_secret(boto3.client("secretsmanager"), fake, webhook=False)
    for name, value in {**resources.environment(), **slack_environment(fake)}.items():
        monkeypatch.setenv(name, value)
    use_container(Container(settings=load_settings()))
    seed.create_group(boto3.client("sagemaker"), GROUP)
    yield fake
    fake.stop()


def team_keys(count: int) -> dict[str, str]:
    """The team's own keys, `count` of them (the package's metadata, as the update leaves it)."""
    return {f"team:feature-set-{n}": f"v{n} owner=risk@example.com" for n in range(count)}


def register(name: str, metrics: dict[str, Any], keys: int) -> tuple[str, dict[str, str]]:
    """A pending version of the long group whose package carries `keys` of the team's metadata keys."""
    sagemaker = boto3.client("sagemaker")
    uri = seed.upload_metrics(boto3.client("s3"), "my-bucket", name, metrics)
    arn = seed.register_version(sagemaker, uri, name, group=GROUP)
    sagemaker.update_model_package(ModelPackageArn=arn, CustomerMetadataProperties=team_keys(keys))
    team = dict(described(arn)["CustomerMetadataProperties"])
    assert len(team) == keys
    return arn, team


def described(arn: str) -> dict[str, Any]:
    return dict(boto3.client("sagemaker").describe_model_package(ModelPackageName=arn))


def kept(arn: str, team: dict[str, str]) -> dict[str, str]:
    metadata = described(arn)["CustomerMetadataProperties"]
    assert len(metadata) <= MAX_KEYS
    return {key: metadata.get(key, "(gone)") for key in team}


def reviewed(slack: FakeSlack, keys: int) -> tuple[str, dict[str, str], dict[str, Any]]:
    """A champion approved by the gate, then a borderline version the gate sends to people in Slack."""
    send(state_change(register("good", seed.GOOD, keys=5)[0]))
    arn, team = register("borderline", seed.BORDERLINE, keys)
    assert send(state_change(arn)).payload["outcome"] == "review"
    return arn, team, slack.messages[-1]


def click(slack: FakeSlack, message: dict[str, Any], action: str) -> Any:
    body, headers = slack.signed_click(message, action, APPROVER, user_name="jane")
    with Client(app) as client:
        return client.http.post("/slack/actions", headers=headers, body=body)


@pytest.mark.parametrize("keys", [48, 50])
def test_the_gates_approval_is_accepted_and_the_teams_keys_kept(
    slack: FakeSlack, resources: LocalResources, keys: int
) -> None:
    arn, team = register("good", seed.GOOD, keys)
    assert len(arn.split("/")[1]) == 63
    assert send(state_change(arn)).payload["outcome"] == "approve"
    package = described(arn)
    assert package["ModelApprovalStatus"] == "Approved"
    assert kept(arn, team) == team
    assert package["CustomerMetadataProperties"].get(OUTCOME_KEY) == ("approve" if keys == 48 else None)
    assert NO_ROOM in package["ApprovalDescription"]  # 48: the snapshot and hash; 50: all of ours
    [told] = [message for message in inbox(resources) if message["outcome"] == "approve"]
    assert any(NO_ROOM in reason for reason in told["reasons"])


@pytest.mark.parametrize("keys", [48, 50])
def test_a_slack_approval_is_accepted_and_says_where_who_decided_is_kept(slack: FakeSlack, keys: int) -> None:
    arn, team, message = reviewed(slack, keys)
    assert click(slack, message, "shepherd_approve").status_code == 200
    package = described(arn)
    assert package["ModelApprovalStatus"] == "Approved"
    assert kept(arn, team) == team
    assert DECIDED_BY_KEY not in package["CustomerMetadataProperties"]  # the gate's review took the last room
    assert package["ApprovalDescription"].startswith(f"Approved by jane ({APPROVER}) in Slack: ")
    assert approved_by(package) == f"slack:jane ({APPROVER})"  # the release history still names her
    assert NO_ROOM in str(slack.messages[-1]["blocks"][-1])  # and the people in the channel are told


@pytest.mark.parametrize(("command", "status"), [("approve", "Approved"), ("reject", "Rejected")])
@pytest.mark.parametrize("keys", [48, 50])
def test_a_cli_decision_is_accepted_and_says_where_who_decided_is_kept(
    slack: FakeSlack, keys: int, command: str, status: str, capsys: pytest.CaptureFixture[str]
) -> None:
    arn, team, _ = reviewed(slack, keys)
    version = arn.rsplit("/", 1)[1]
    assert main([command, GROUP, version, "--reason", "checked by hand: drift is seasonal", "--by", "ana"]) == 0
    package = described(arn)
    assert package["ModelApprovalStatus"] == status
    assert kept(arn, team) == team
    assert package["ApprovalDescription"] == f"{status} by ana (shepherd CLI): checked by hand: drift is seasonal"
    assert approved_by(package) == "cli:ana"
    assert NO_ROOM in capsys.readouterr().err


def test_with_room_a_slack_approval_records_who_in_the_metadata(slack: FakeSlack) -> None:
    arn, team, message = reviewed(slack, keys=45)
    click(slack, message, "shepherd_approve")
    package = described(arn)
    assert (package["ModelApprovalStatus"], kept(arn, team)) == ("Approved", team)
    assert package["CustomerMetadataProperties"][DECIDED_BY_KEY] == f"slack:jane {APPROVER}"
    assert NO_ROOM not in str(slack.messages[-1]["blocks"][-1])
