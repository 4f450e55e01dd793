"""`shepherd slack messages|click|user|command`: the local stack's fake Slack, from the command line.

Only against the fake Slack of `make local` (found through SHEPHERD_SLACK_API_URL, which the local stack
exports): it records what the app posted, clicks a button signed as Slack signs it, sets the e-mail
users.info answers for a user, and types `/shepherd ...` signed as Slack signs it.
"""

from __future__ import annotations

import argparse
import json
import os
import textwrap
import urllib.error
import urllib.request
from typing import Any

from shepherd_cli import exit_codes, output
from shepherd_cli.context import non_empty, positive_int
from shepherd_cli.output import emit_json, table

# The fake Slack's click names (devstack/fake_slack_control.py): the buttons of the app's messages.
CLICKABLE = ["approve", "reject", "regate", "rollback", "promote", "stop", "continue", "rollback-paused"]
NOT_LOCAL = (
    "shepherd slack works with the local stack's fake Slack only: SHEPHERD_SLACK_API_URL is not set "
    "(start `make local` and export the environment it prints)"
)


def register(subparsers: Any) -> None:
    slack = subparsers.add_parser("slack", help="the local stack's fake Slack: messages, button clicks")
    actions = slack.add_subparsers(dest="slack_command", required=True, metavar="ACTION")
    messages = actions.add_parser("messages", help="what the app posted to the fake Slack")
    messages.add_argument("--json", action="store_true", help="machine-readable output")
    messages.set_defaults(handler=show_messages)
    click = actions.add_parser("click", help="click a message's button, signed as Slack signs it")
    click.add_argument("group")
    click.add_argument("version", type=positive_int, help="the version the button is for (rollback: the target)")
    click.add_argument("action", choices=CLICKABLE)
    click.add_argument("--as", dest="user", type=non_empty, required=True, help="the clicker's Slack user id (U...)")
    click.add_argument("--reason", default=None, help="for a button that asks why: typed into its modal, submitted")
    click.add_argument("--json", action="store_true", help="machine-readable output")
    click.set_defaults(handler=click_button)
    user = actions.add_parser("user", help="set the e-mail users.info gives for a user (no self-approval)")
    user.add_argument("user", type=non_empty, help="the Slack user id (U...)")
    user.add_argument("--email", type=non_empty, required=True, help="their profile e-mail")
    user.set_defaults(handler=set_user)
    typed = actions.add_parser("command", help="type /shepherd TEXT in the fake Slack; print the app's answer")
    typed.add_argument("text", help='what follows /shepherd, e.g. "status fraud-detection-models"')
    typed.add_argument("--as", dest="user", type=non_empty, required=True, help="the Slack user id typing it (U...)")
    typed.add_argument("--json", action="store_true", help="machine-readable output")
    typed.set_defaults(handler=slash_command)


def show_messages(args: argparse.Namespace) -> int:
    status, found = _call("GET", "/fake/messages")
    if status != 200:
        return _refused(status, found)
    if args.json:
        emit_json(found)
        return exit_codes.OK
    rows = [
        [m["ts"], m["channel"], _short(m.get("text", "")), ", ".join(b["action_id"] for b in m["buttons"])]
        for m in found
    ]
    print(table(["ts", "channel", "text", "buttons"], rows) if rows else "no messages yet")
    return exit_codes.OK


def click_button(args: argparse.Namespace) -> int:
    request = {"group": args.group, "version": args.version, "action": args.action, "user": args.user}
    if args.reason is not None:
        request["reason"] = args.reason
    status, answer = _call("POST", "/fake/click", request)
    if status != 200:
        return _refused(status, answer)
    if args.json:
        emit_json(answer)
    else:
        print(
            f"clicked {args.action} for {args.group} v{args.version} as {args.user}: the app answered "
            f"{answer['status']}"
        )
        for reply in answer["replies"]:
            print(f"  {'(only you) ' if reply['ephemeral'] else ''}{reply['text']}")
        modal = answer.get("modal")
        if modal and modal["open"]:
            errors = "; ".join(modal["errors"].values()) or "waiting for a reason (--reason)"
            print(f"  the modal asking why is still open: {errors}")
    applied = answer["status"] == 200 and any(not reply["ephemeral"] for reply in answer["replies"])
    return exit_codes.OK if applied else exit_codes.FAILED  # refused: only the clicker was told why


def set_user(args: argparse.Namespace) -> int:
    status, answer = _call("POST", "/fake/users", {args.user: args.email})
    if status != 200:
        return _refused(status, answer)
    print(f"users.info now gives {args.email} for {args.user}")
    return exit_codes.OK


def slash_command(args: argparse.Namespace) -> int:
    status, answer = _call("POST", "/fake/command", {"text": args.text, "user": args.user})
    if status != 200:
        return _refused(status, answer)
    if args.json:
        emit_json(answer)
    else:
        body = answer["answer"] if isinstance(answer.get("answer"), dict) else {}
        sections = [block["text"]["text"] for block in body.get("blocks", []) if block.get("type") == "section"]
        print(f"/shepherd {_short(args.text)} as {args.user}: the app answered {answer['status']}")
        for text in sections or [str(body.get("error", body))]:
            print(textwrap.indent(text, "  "))  # a section's every line is the answer's
    return exit_codes.OK if answer["status"] == 200 else exit_codes.FAILED


def _call(method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    api_url = os.environ.get("SHEPHERD_SLACK_API_URL", "").strip()
    if not api_url:
        raise SystemExit(_say(NOT_LOCAL, exit_codes.ENVIRONMENT))
    url = api_url.rstrip("/").removesuffix("/api") + path
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise SystemExit(_say(f"cannot reach the fake Slack at {url}: {error}", exit_codes.ENVIRONMENT)) from None


def _refused(status: int, answer: Any) -> int:
    reason = answer.get("error", answer) if isinstance(answer, dict) else answer
    return _say(f"fake Slack: {reason}", exit_codes.NOT_FOUND if status == 404 else exit_codes.FAILED)


def _say(message: str, code: int) -> int:
    output.error(message)
    return code


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
