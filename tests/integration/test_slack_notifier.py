"""Gate messages reach Slack through slack_sdk, by bot token or webhook, on a loopback stand-in."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from chalicelib.adapters.slack_api import SlackCredentials, SlackNotifier
from chalicelib.gate.decision import evaluate
from chalicelib.gate.messages import gate_notification
from chalicelib.shared.errors import ConfigurationError
from chalicelib.shared.model_version import PENDING, ModelVersion
from tests.support.policies import example_policy
from tests.support.slack_text import shown

VERSION = ModelVersion(
    "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/2",
    "fraud-detection-models",
    2,
    PENDING,
)


class Recorder(BaseHTTPRequestHandler):
    posts: ClassVar[list[tuple[str, dict[str, Any]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.posts.append((self.path, json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}' if self.path.startswith("/api/") else b"ok")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def slack() -> Iterator[str]:
    Recorder.posts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def review_notification() -> Any:
    decision = evaluate(example_policy(), {"auc": 0.85, "precision": 0.9, "recall": 0.8, "latency_p99_ms": 40}, None)
    return gate_notification(VERSION, decision, "fraud-detection-models@abc", dry_run=False)


def test_bot_token_posts_block_kit_with_decision_buttons(slack: str) -> None:
    notifier = SlackNotifier(lambda: SlackCredentials(bot_token="xoxb-1"), "#ml", api_url=f"{slack}/api/")
    notifier.send(review_notification())
    path, body = Recorder.posts[0]
    assert path == "/api/chat.postMessage" and body["channel"] == "#ml"
    blocks = body["blocks"]
    assert blocks[0]["text"]["text"] == "fraud-detection-models v2: review"
    assert "auc 0.85 >= 0.9 FAIL" in shown(blocks[1]["text"]["text"])
    assert any("candidate" in block.get("text", {}).get("text", "") for block in blocks)  # the metrics table
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [
        "shepherd_approve",
        "shepherd_reject",
        "shepherd_regate",
    ]
    assert blocks[-1]["elements"][0]["value"] == VERSION.arn


def test_webhook_posts_the_same_message(slack: str) -> None:
    SlackNotifier(lambda: SlackCredentials(webhook_url=f"{slack}/hook"), None).send(review_notification())
    path, body = Recorder.posts[0]
    assert path == "/hook" and body["text"].startswith("fraud-detection-models v2: review")


def test_a_bot_token_without_a_channel_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="SHEPHERD_SLACK_CHANNEL"):
        SlackNotifier(lambda: SlackCredentials(bot_token="xoxb-1"), None).send(review_notification())


def test_a_secret_without_token_or_webhook_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="neither bot_token nor webhook_url"):
        SlackCredentials.from_secret({"signing_secret": "s"})
