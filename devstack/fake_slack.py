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
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from devstack.fake_slack_clicks import SlackClicks
from devstack.fake_slack_http import make_handler
from devstack.fake_slack_views import Views

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
class FakeSlack(SlackClicks):
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
