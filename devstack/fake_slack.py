"""A fake Slack on loopback: the Web API calls we make, response_urls, incoming webhooks, and clicks.

    slack = FakeSlack().start()        # port 0: any free port
    ... SHEPHERD_SLACK_API_URL=slack.api_url (bot token) or the secret's webhook_url=slack.webhook_url
    slack.messages                      # chat.postMessage / webhook posts, with their updates applied
    slack.click(actions_url, slack.messages[0], "shepherd_approve", "U123")  # signed as Slack signs
    slack.stop()

Clicks are signed with slack_sdk's own signer (the reference implementation of Slack's v0 scheme).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

from devstack.fake_slack_http import make_handler
from devstack.fake_slack_views import View, Views, submission_payload

SIGNING_SECRET = "fake-slack-signing-secret"
BOT_TOKEN = "xoxb-fake-slack-bot-token"
TEAM_ID = "T0FAKETEAM"
APP_ID = "A0FAKEAPP"
RESPONSE_URL_USES = 5  # Slack accepts five posts per response_url


@dataclass
class Reply:
    """One post to a response_url, as received."""

    token: str
    body: dict[str, Any]

    @property
    def ephemeral(self) -> bool:
        return not self.body.get("replace_original") and self.body.get("response_type", "ephemeral") == "ephemeral"


@dataclass
class FakeSlack:
    signing_secret: str = SIGNING_SECRET
    bot_token: str = BOT_TOKEN
    team_id: str = TEAM_ID
    app_id: str = APP_ID
    user_groups: dict[str, list[str]] = field(default_factory=dict)
    # users.info: profile e-mails by user id; anyone else is <user id in lower case>@fake-slack.example
    users: dict[str, str] = field(default_factory=dict)
    users_info_error: str | None = None  # users.info answers ok=false with it (ratelimited, missing_scope)
    actions_url: str | None = None  # the app's /slack/actions, for clicks through the control routes
    messages: list[dict[str, Any]] = field(default_factory=list)  # current state of each posted message
    replies: list[Reply] = field(default_factory=list)  # every response_url post
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # every Web API call, in order
    views: Views = field(default_factory=Views)  # modals the app opened (views.open), open or submitted

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._response_urls: dict[str, tuple[int | None, int]] = {}  # token -> (message index, uses)
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle ---------------------------------------------------------------------------------
    def start(self, port: int = 0) -> FakeSlack:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(self))
        threading.Thread(target=self._server.serve_forever, name="fake-slack", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "FakeSlack().start() first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"  # slack_sdk's base_url form: SHEPHERD_SLACK_API_URL

    @property
    def webhook_url(self) -> str:
        return f"{self.base_url}/webhook"

    def email(self, user_id: str) -> str:
        return self.users.get(user_id) or f"{user_id.lower()}@fake-slack.example"

    def ephemerals(self) -> list[Reply]:
        return [reply for reply in self.replies if reply.ephemeral]

    # --- clicks --------------------------------------------------------------------------------------
    def click(
        self, actions_url: str, message: Mapping[str, Any], action_id: str, user_id: str, **options: Any
    ) -> tuple[int, str]:
        """POST a signed block_actions request to actions_url; (HTTP status, body)."""
        body, headers = self.signed_click(message, action_id, user_id, **options)
        request = urllib.request.Request(actions_url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def signed_click(
        self,
        message: Mapping[str, Any],
        action_id: str,
        user_id: str,
        *,
        user_name: str | None = None,
        value: str | None = None,
        timestamp: int | None = None,
        signing_secret: str | None = None,
        team_id: str | None = None,
        app_id: str | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers Slack would send for a click on ``action_id`` in ``message``."""
        payload = self.click_payload(message, action_id, user_id, user_name, value, team_id, app_id)
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return body, self.sign(body, timestamp, signing_secret)

    def sign(self, body: bytes, timestamp: int | None = None, secret: str | None = None) -> dict[str, str]:
        from slack_sdk.signature import SignatureVerifier

        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signer = SignatureVerifier(secret or self.signing_secret)
        return {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signer.generate_signature(timestamp=stamp, body=body) or "",
        }

    def click_payload(
        self,
        message: Mapping[str, Any],
        action_id: str,
        user_id: str,
        user_name: str | None = None,
        value: str | None = None,
        team_id: str | None = None,
        app_id: str | None = None,
    ) -> dict[str, Any]:
        button = _find_button(message, action_id)
        team = team_id or self.team_id
        channel = str(message.get("channel", "C0FAKE"))
        return {
            "type": "block_actions",
            "user": {
                "id": user_id,
                "username": user_name or user_id.lower(),
                "name": user_name or user_id.lower(),
                "team_id": team,
            },
            "api_app_id": app_id or self.app_id,
            "token": "deprecated-verification-token",
            "container": {"type": "message", "message_ts": message.get("ts"), "channel_id": channel},
            "trigger_id": self.views.trigger(user_id),
            "team": {"id": team, "domain": "fake"},
            "channel": {"id": channel, "name": channel.lstrip("#")},
            "message": {key: message.get(key) for key in ("type", "ts", "text", "blocks")},
            "response_url": self._response_url(message),
            "actions": [
                {
                    **button,
                    "value": button.get("value", "") if value is None else value,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }

    def submit(
        self, actions_url: str, text: str, view_id: str | None = None, user_name: str | None = None
    ) -> tuple[int, str]:
        """The person who opened the modal (the newest open one, or `view_id`) types `text` and submits it;
        (HTTP status, body). The modal closes unless the app answers with errors."""
        opened = self.views.find(view_id)
        if opened is None:
            return 404, json.dumps({"error": "no open modal"})
        body, headers = self.signed_submission(text, opened.id, user_name)
        request = urllib.request.Request(actions_url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, answer = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        _closed_unless_errors(opened, answer)
        return status, answer

    def signed_submission(
        self, text: str, view_id: str | None = None, user_name: str | None = None, user_id: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers of a modal's submission (by its opener, or `user_id`) with `text` typed in."""
        opened = self.views.find(view_id)
        assert opened is not None, "no open modal"
        who = user_id or opened.user_id
        user = {"id": who, "username": user_name or who.lower(), "name": user_name or who.lower()}
        payload = submission_payload(opened, user, self.team_id, self.app_id, text)
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return body, self.sign(body)

    def _response_url(self, message: Mapping[str, Any]) -> str:
        with self._lock:
            token = f"R{len(self._response_urls) + 1:05d}"
            index = next((i for i, m in enumerate(self.messages) if m.get("ts") == message.get("ts")), None)
            self._response_urls[token] = (index, 0)
        return f"{self.base_url}/response/{token}"

    # --- what the server does -------------------------------------------------------------------------
    def _post_message(self, channel: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            ts = f"{1_700_000_000 + len(self.messages)}.000100"
            blocks = fields.get("blocks")
            blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
            self.messages.append(
                {
                    "type": "message",
                    "channel": channel,
                    "ts": ts,
                    "text": fields.get("text", ""),
                    "blocks": blocks or [],
                    "updates": 0,
                }
            )
        return {"ok": True, "channel": channel, "ts": ts}

    def _respond(self, token: str, body: dict[str, Any]) -> tuple[int, str]:
        with self._lock:
            if token not in self._response_urls:
                return 404, "no_such_response_url"
            index, uses = self._response_urls[token]
            if uses >= RESPONSE_URL_USES:
                return 404, "used_url"
            self._response_urls[token] = (index, uses + 1)
            self.replies.append(Reply(token, body))
            if body.get("replace_original") and index is not None:
                message = self.messages[index]
                message.update(
                    text=body.get("text", ""), blocks=body.get("blocks") or [], updates=message["updates"] + 1
                )
        return 200, "ok"


def _closed_unless_errors(opened: View, answer: str) -> None:
    try:
        action = json.loads(answer or "{}")
    except ValueError:
        action = {}
    if isinstance(action, dict) and action.get("response_action") == "errors":
        opened.errors = dict(action.get("errors") or {})
    else:
        opened.open, opened.errors = False, {}


def _find_button(message: Mapping[str, Any], action_id: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return {**element, "block_id": block.get("block_id", "actions")}
    return {"type": "button", "action_id": action_id, "block_id": "actions", "value": ""}
