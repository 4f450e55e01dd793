"""A Slack interactivity request's body read within bounds: the form's JSON `payload`, and who sent it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from chalicelib.shared import bounded_json
from chalicelib.shared.errors import MalformedActionError

MAX_BODY_BYTES = 64 * 1024  # far above any click or modal submission; refuse to parse anything bigger
MAX_PAYLOAD_DEPTH = 32  # a message's blocks nest under ten levels; deeper is not Slack's


@dataclass(frozen=True)
class Person:
    user_id: str
    user_name: str
    team_id: str


def who(payload: Mapping[str, Any]) -> Person:
    user = mapping(payload, "user")
    team = payload.get("team") if isinstance(payload.get("team"), Mapping) else {}
    return Person(
        text(user, "id"),
        str(user.get("name") or user.get("username") or user["id"]),
        str((team or {}).get("id") or user.get("team_id") or ""),
    )


def read_payload(body: bytes) -> Mapping[str, Any]:
    if len(body) > MAX_BODY_BYTES:
        raise MalformedActionError("request body too large")
    try:
        fields = parse_qs(body.decode("utf-8"), strict_parsing=True)
        payload = bounded_json.loads(fields["payload"][0], MAX_BODY_BYTES, MAX_PAYLOAD_DEPTH)
    except bounded_json.JsonLimitError as error:
        raise MalformedActionError(f"the payload: {error}") from None
    except (UnicodeDecodeError, ValueError, KeyError):
        raise MalformedActionError("the body is not a form with a JSON payload field") from None
    if not isinstance(payload, Mapping):
        raise MalformedActionError("the payload is not a JSON object")
    return payload


def mapping(source: Mapping[str, Any], key: str, required: bool = True) -> Mapping[str, Any]:
    value = source.get(key)
    if isinstance(value, Mapping):
        return value
    if required:
        raise MalformedActionError(f"the payload has no {key}")
    return {}


def text(source: Mapping[str, Any], key: str) -> str:
    value = source.get(key)
    if not isinstance(value, str) or not value:
        raise MalformedActionError(f"the payload has no {key}")
    return value
