"""The /shepherd slash command as typed values: who asked, and what (`status GROUP`, `history GROUP`,
`pending`, `help`). Pure; read within bounds: a body or a text beyond them is refused, never parsed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qs

from chalicelib.shared.errors import MalformedActionError
from chalicelib.slack.payload import MAX_BODY_BYTES

MAX_TEXT = 200  # a subcommand and a group name (at most 63 characters) fit many times over
_GROUP = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")  # SageMaker's model package group names


class Verb(StrEnum):
    STATUS = "status"
    HISTORY = "history"
    PENDING = "pending"
    HELP = "help"


NEEDS_GROUP = frozenset({Verb.STATUS, Verb.HISTORY})


@dataclass(frozen=True)
class SlashCommand:
    user_id: str
    user_name: str
    team_id: str
    app_id: str
    text: str


@dataclass(frozen=True)
class Ask:
    verb: Verb
    group: str | None = None


@dataclass(frozen=True)
class BadAsk:
    """Text we cannot act on: the caller is told why (and how to ask), never an error page."""

    why: str


def read_command(body: bytes) -> SlashCommand:
    """The form Slack posts for a slash command; MalformedActionError for anything else."""
    if len(body) > MAX_BODY_BYTES:
        raise MalformedActionError("request body too large")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        raise MalformedActionError("the body is not a form") from None
    found = {name: values[0] for name, values in fields.items() if len(values) == 1}
    if not found.get("user_id"):
        raise MalformedActionError("the command names no user_id")
    return SlashCommand(
        user_id=found["user_id"],
        user_name=found.get("user_name") or found["user_id"],
        team_id=found.get("team_id", ""),
        app_id=found.get("api_app_id", ""),
        text=found.get("text", ""),
    )


def parse_text(text: str) -> Ask | BadAsk:
    if len(text) > MAX_TEXT:
        return BadAsk(f"that is {len(text):,} characters; a /shepherd command is at most {MAX_TEXT}")
    words = text.split()
    if not words:
        return Ask(Verb.HELP)
    try:
        verb = Verb(words[0].lower())
    except ValueError:
        return BadAsk(f"unknown subcommand `{_shown(words[0])}`")
    if verb in NEEDS_GROUP:
        if len(words) != 2:
            return BadAsk(f"`{verb.value}` takes one model package group: `/shepherd {verb.value} GROUP`")
        if not _GROUP.match(words[1]):
            return BadAsk(f"`{_shown(words[1])}` is not a model package group name")
        return Ask(verb, words[1])
    if len(words) != 1:
        return BadAsk(f"`{verb.value}` takes nothing after it")
    return Ask(verb)


def _shown(word: str) -> str:
    """A word of the caller's, safe to echo: short, and no backticks or mrkdwn links."""
    cleaned = re.sub(r"[`<>&*_~]", "", word)
    return cleaned[:40] + ("…" if len(cleaned) > 40 else "")
