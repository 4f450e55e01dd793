"""`shepherd slack messages|click|command` through the fake Slack's control routes, against a stand-in app that
checks the click is signed as Slack signs it and answers as the app does (through the response_url)."""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier

from chalicelib.release.pause_messages import paused_notification
from chalicelib.release.state import Deployed, GroupState, Release
from devstack.fake_slack import FakeSlack
from shepherd_cli import exit_codes
from shepherd_cli.main import main
from tests.support.paused import paused_state

ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/3"
REVIEW_BLOCKS = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "v3 needs people"}},
    {
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": "shepherd_approve", "value": ARN},
            {"type": "button", "action_id": "shepherd_reject", "value": ARN},
            {"type": "button", "action_id": "shepherd_regate", "value": ARN},
        ],
    },
]


STATUS_ANSWER = {
    "response_type": "ephemeral",
    "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*fraud-detection-models*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Production:* v1\n*Queued:* v2"}},
    ],
}


class StandInApp:
    """Verifies the signature; approvers get the message replaced, anyone else an ephemeral refusal."""

    def __init__(self, slack: FakeSlack, approvers: set[str]) -> None:
        self.clicks: list[dict[str, Any]] = []
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if not SignatureVerifier(slack.signing_secret).is_valid_request(body, dict(self.headers)):
                    self.send_response(401)
                    self.end_headers()
                    return
                if self.path == "/slack/commands":  # a /shepherd command: the app's answer, in its body
                    self._answer(STATUS_ANSWER)
                    return
                payload = json.loads(urllib.parse.parse_qs(body.decode())["payload"][0])
                app.clicks.append(payload)
                allowed = payload["user"]["id"] in approvers
                reply = (
                    {"replace_original": True, "text": "Approved v3"}
                    if allowed
                    else {"response_type": "ephemeral", "text": "not an approver"}
                )
                urllib.request.urlopen(
                    urllib.request.Request(
                        payload["response_url"], json.dumps(reply).encode(), {"Content-Type": "application/json"}
                    ),
                    timeout=5,
                )
                self.send_response(200)
                self.end_headers()

            def _answer(self, document: dict[str, Any]) -> None:
                data = json.dumps(document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/actions"


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeSlack, StandInApp]]:
    fake = FakeSlack().start()
    app = StandInApp(fake, {"U024BE7LH"})
    fake.actions_url = app.url
    fake._post_message("#ml-releases", {"text": "review v3", "blocks": REVIEW_BLOCKS})
    monkeypatch.setenv("SHEPHERD_SLACK_API_URL", fake.api_url)
    yield fake, app
    fake.stop()
    app.server.shutdown()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_messages_lists_what_the_app_posted_with_its_buttons(slack: Any, capsys: Any) -> None:
    code, out, _ = run(capsys, "slack", "messages", "--json")
    [message] = json.loads(out)
    assert code == exit_codes.OK
    assert [b["action_id"] for b in message["buttons"]] == ["shepherd_approve", "shepherd_reject", "shepherd_regate"]
    assert "review v3" in run(capsys, "slack", "messages")[1]


def test_click_is_signed_as_slack_signs_it_and_the_decision_shows(slack: Any, capsys: Any) -> None:
    fake, app = slack
    code, out, _ = run(capsys, "slack", "click", "fraud-detection-models", "3", "approve", "--as", "U024BE7LH")
    assert code == exit_codes.OK
    assert "the app answered 200" in out and "Approved v3" in out
    [click] = app.clicks
    assert (click["user"]["id"], click["actions"][0]["action_id"], click["actions"][0]["value"]) == (
        "U024BE7LH",
        "shepherd_approve",
        ARN,
    )
    assert (click["team"]["id"], click["api_app_id"]) == (fake.team_id, fake.app_id)
    assert fake.messages[0]["text"] == "Approved v3"  # replaced through the response_url


def test_click_regate_clicks_the_review_messages_decide_again_button(slack: Any, capsys: Any) -> None:
    _, app = slack
    code, _, _ = run(capsys, "slack", "click", "fraud-detection-models", "3", "regate", "--as", "U024BE7LH")
    assert code == exit_codes.OK
    [click] = app.clicks
    assert (click["actions"][0]["action_id"], click["actions"][0]["value"]) == ("shepherd_regate", ARN)


def test_click_refused_by_the_app_exits_1_and_says_why(slack: Any, capsys: Any) -> None:
    code, out, _ = run(capsys, "slack", "click", "fraud-detection-models", "3", "approve", "--as", "U0STRANGER")
    assert code == exit_codes.FAILED
    assert "(only you) not an approver" in out


def test_click_on_a_version_with_no_such_button_is_not_found(slack: Any, capsys: Any) -> None:
    code, _, err = run(capsys, "slack", "click", "fraud-detection-models", "9", "approve", "--as", "U024BE7LH")
    assert code == exit_codes.NOT_FOUND
    assert "no message with a approve button for fraud-detection-models v9" in err
    assert slack[1].clicks == []


def test_without_the_local_stacks_fake_slack_it_is_an_environment_error(
    capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHEPHERD_SLACK_API_URL", raising=False)
    assert main(["slack", "messages"]) == exit_codes.ENVIRONMENT
    assert "fake Slack only" in capsys.readouterr().err


def test_unreachable_fake_slack_is_an_environment_error(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from devstack.servers import free_port

    monkeypatch.setenv("SHEPHERD_SLACK_API_URL", f"http://127.0.0.1:{free_port()}/api/")
    assert main(["slack", "click", "g", "1", "approve", "--as", "U1"]) == exit_codes.ENVIRONMENT


def test_malformed_control_request_is_refused(slack: Any) -> None:
    request = urllib.request.Request(slack[0].base_url + "/fake/click", b"{not json", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400


def test_roll_back_button_is_found_by_its_target_version(slack: Any, capsys: Any) -> None:
    fake, app = slack
    target = json.dumps({"group": "fraud-detection-models", "to_version": 1})
    fake._post_message(
        "#ml-releases",
        {
            "text": "v3 rolled back",
            "blocks": [
                {"type": "actions", "elements": [{"type": "button", "action_id": "shepherd_rollback", "value": target}]}
            ],
        },
    )
    code, _, _ = run(capsys, "slack", "click", "fraud-detection-models", "1", "rollback", "--as", "U024BE7LH")
    assert code == exit_codes.OK
    assert [(c["actions"][0]["action_id"], c["actions"][0]["value"]) for c in app.clicks] == [
        ("shepherd_rollback", target)
    ]


@pytest.mark.parametrize(
    ("action", "action_id"), [("continue", "shepherd_continue"), ("rollback-paused", "shepherd_paused_rollback")]
)
def test_a_paused_release_messages_buttons_are_clicked_by_its_version(
    slack: Any, capsys: Any, action: str, action_id: str
) -> None:
    fake, app = slack
    blocks = paused_notification(paused_release(), None).blocks
    fake._post_message("#ml-releases", {"text": "v4 is PAUSED", "blocks": blocks})
    code, _, _ = run(capsys, "slack", "click", "fraud-detection-models", "4", action, "--as", "U024BE7LH")
    assert code == exit_codes.OK
    value = json.dumps({"group": "fraud-detection-models", "version": 4}, separators=(",", ":"))
    assert [(c["actions"][0]["action_id"], c["actions"][0]["value"]) for c in app.clicks] == [(action_id, value)]


def paused_release() -> Release:
    live = Deployed(3, ARN, "fraud-detection-models-v3-prod", "gate", datetime(2026, 11, 26, tzinfo=UTC))
    release = paused_state(GroupState("fraud-detection-models", live=live), 4, datetime(2026, 11, 27, tzinfo=UTC))
    assert release.release is not None
    return release.release


def test_user_sets_the_email_users_info_gives(slack: Any, capsys: Any) -> None:
    fake, _ = slack
    code, out, _ = run(capsys, "slack", "user", "U024BE7LH", "--email", "jane@example.com")
    assert (code, out.strip()) == (exit_codes.OK, "users.info now gives jane@example.com for U024BE7LH")
    from slack_sdk import WebClient

    client = WebClient(token=fake.bot_token, base_url=fake.api_url)
    assert client.users_info(user="U024BE7LH")["user"]["profile"]["email"] == "jane@example.com"
    assert client.users_info(user="U0BOB")["user"]["profile"]["email"] == "u0bob@fake-slack.example"


def test_command_prints_the_apps_answer_indented_under_its_heading(slack: Any, capsys: Any) -> None:
    code, out, _ = run(capsys, "slack", "command", "status fraud-detection-models", "--as", "U024BE7LH")
    assert code == exit_codes.OK
    assert out.splitlines() == [
        "/shepherd status fraud-detection-models as U024BE7LH: the app answered 200",
        "  *fraud-detection-models*",
        "  *Production:* v1",
        "  *Queued:* v2",  # every line of a section is the app's, not only its first
    ]


def test_command_heading_shortens_a_long_command_text(slack: Any, capsys: Any) -> None:
    text = "status " + "x" * 4990
    code, out, _ = run(capsys, "slack", "command", text, "--as", "U024BE7LH")
    heading = out.splitlines()[0]
    assert heading.startswith("/shepherd status xxx") and "…" in heading
    assert len(heading) < 150 and heading.endswith("as U024BE7LH: the app answered 200")
    assert code == exit_codes.OK  # a refusal is an answer too
