"""The HTTP side of devstack.fake_slack: routes a request to the fake's state, answers as Slack does."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from devstack.fake_slack import FakeSlack


def make_handler(slack: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            path, query = split_path(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if path.startswith("/response/"):
                status, text = slack._respond(path.rsplit("/", 1)[-1], json.loads(raw or b"{}"))
                return self._send(status, text.encode(), "text/plain")
            if path.startswith("/fake/"):
                status, answer = _control(slack, path, raw)
                return self._send(status, json.dumps(answer).encode(), "application/json")
            if path == "/webhook":
                slack._post_message("webhook", json.loads(raw or b"{}"))
                return self._send(200, b"ok", "text/plain")
            fields = parse_fields(raw, self.headers.get("Content-Type", ""), query)
            method = path.removeprefix("/api/")
            slack.calls.append((method, fields))
            return self._json(_api(slack, method, fields, self.headers.get("Authorization", "")))

        def _json(self, body: dict[str, Any]) -> None:
            self._send(200, json.dumps(body).encode(), "application/json")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read .calls instead
            return

    return Handler


def _control(slack: FakeSlack, path: str, raw: bytes) -> tuple[int, Any]:
    from devstack import fake_slack_control as control

    if path == "/fake/messages":
        return 200, control.messages(slack)
    if path == "/fake/users":  # {"U...": "e-mail", ...}: the profile e-mails users.info answers
        try:
            slack.users.update({str(user): str(email) for user, email in json.loads(raw or b"{}").items()})
        except (ValueError, AttributeError):
            return 400, {"error": "users must be a JSON object of user id to e-mail"}
        return 200, dict(slack.users)
    if path == "/fake/click":
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            return 400, {"error": "the click request is not JSON"}
        return control.click(slack, request if isinstance(request, dict) else {})
    if path == "/fake/command":
        from devstack.fake_slack_commands import control_command

        try:
            asked = json.loads(raw or b"{}")
        except ValueError:
            return 400, {"error": "the command request is not JSON"}
        return control_command(slack, asked if isinstance(asked, dict) else {})
    return 404, {"error": f"no control route {path}"}


def _api(slack: FakeSlack, method: str, fields: dict[str, Any], authorization: str) -> dict[str, Any]:
    if authorization != f"Bearer {slack.bot_token}":
        return {"ok": False, "error": "invalid_auth"}
    if method == "chat.postMessage":
        return slack._post_message(str(fields.get("channel", "")), fields)
    if method == "chat.update":
        for message in slack.messages:
            if message["ts"] == fields.get("ts") and message["channel"] == fields.get("channel"):
                blocks = fields.get("blocks")
                message.update(
                    text=fields.get("text", ""),
                    blocks=json.loads(blocks) if isinstance(blocks, str) else blocks or [],
                    updates=message["updates"] + 1,
                )
                return {"ok": True, "channel": message["channel"], "ts": message["ts"]}
        return {"ok": False, "error": "message_not_found"}
    if method == "views.open":
        return slack.views.open_view(fields)
    if method == "users.info":
        if slack.users_info_error:
            return {"ok": False, "error": slack.users_info_error}
        user = str(fields.get("user", ""))
        return {"ok": True, "user": {"id": user, "team_id": slack.team_id, "profile": {"email": slack.email(user)}}}
    if method == "usergroups.users.list":
        group = str(fields.get("usergroup", ""))
        if group not in slack.user_groups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": slack.user_groups[group]}
    return {"ok": False, "error": "unknown_method"}


def parse_fields(raw: bytes, content_type: str, query: str) -> dict[str, Any]:
    """A Web API call's arguments, whichever way slack_sdk sent them (JSON, form, or query string)."""
    fields: dict[str, Any] = {key: values[0] for key, values in parse_qs(query).items()}
    if raw and "json" in content_type:
        fields.update(json.loads(raw))
    elif raw:
        fields.update({key: values[0] for key, values in parse_qs(raw.decode()).items()})
    return fields


def split_path(path: str) -> tuple[str, str]:
    parts = urlsplit(path)
    return parts.path, parts.query
