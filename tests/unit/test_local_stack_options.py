"""`make local`'s options for the story: endpoint answers, the policies, the fake Slack part and its port."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from devstack import server, slack_local, stack
from devstack.errors import PortInUseError


def test_endpoint_answers_and_policy_dir_from_arguments(tmp_path: Path) -> None:
    config = server.parse_args(
        [
            "--endpoint-response",
            'fraud-staging={"predictions": [0.1]}',
            "--endpoint-response",
            "fraud-prod=0.2,0.8",
            "--policy-dir",
            str(tmp_path),
            "--slack-port",
            "8123",
        ]
    )
    assert config.endpoint_responses == {"fraud-staging": '{"predictions": [0.1]}', "fraud-prod": "0.2,0.8"}
    assert (config.policy_dir, config.slack_port) == (str(tmp_path), 8123)


@pytest.mark.parametrize(
    "argv",
    [
        ["--endpoint-response", "no-equals-sign"],
        ["--endpoint-response", "=body"],
        ["--policy-dir", "/nonexistent/policies"],
        ["--canary-calls", "-1"],
    ],
)
def test_malformed_options_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        server.parse_args(argv)
    assert raised.value.code == 2
    assert argv[0] in capsys.readouterr().err


def test_the_fake_slack_is_an_optional_part_of_the_stack() -> None:
    [part] = stack.optional_parts(stack.StackConfig(app_port=8123))
    assert isinstance(part, slack_local.FakeSlackPart)
    assert part.slack.actions_url == "http://127.0.0.1:8123/slack/actions"  # where its clicks go
    assert not part.alive()  # not started yet


def test_fake_slack_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        part = slack_local.local_stack_part(stack.StackConfig(slack_port=port))
        with pytest.raises(PortInUseError, match=f"port {port} is in use: the fake Slack"):
            part.start()


def test_the_fake_slack_knows_the_user_groups_the_policies_name(tmp_path: Path) -> None:
    from slack_sdk import WebClient

    from devstack.fake_slack import FakeSlack

    example = Path(__file__).resolve().parents[2] / "policies" / "fraud-detection-models.json"
    (tmp_path / example.name).write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    groups = slack_local.policy_user_groups({"SHEPHERD_POLICY_DIR": str(tmp_path)})
    assert groups == {"S0614TZR7": ["U0614TZR7"]}
    fake = FakeSlack(user_groups=groups).start()
    try:
        answer = WebClient(token=fake.bot_token, base_url=fake.api_url).usergroups_users_list(usergroup="S0614TZR7")
    finally:
        fake.stop()
    assert answer["users"] == ["U0614TZR7"]
