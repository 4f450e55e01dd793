"""The Slack route under hostile requests: huge headers, deeply nested signed payloads: a clear 4xx, never a 500."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.slack.payload import MAX_BODY_BYTES
from chalicelib.slack.signature import signature
from tests.fakes.slack import ARN, SECRET, click_body, pending_version
from tests.unit.test_slack_actions_service import Answer, World


def world() -> World:
    built = World()
    built.registry.add(pending_version())
    return built


def form(payload: str) -> bytes:
    return urlencode({"payload": payload}).encode()


def nested(depth: int, wrap: str) -> str:
    return "[" * depth + "1" + "]" * depth if wrap == "list" else '{"a":' * depth + "1" + "}" * depth


def test_a_5000_digit_timestamp_is_refused_as_an_invalid_signature_not_a_500() -> None:
    body = click_body()
    stamp = "9" * 5_000
    answer = world().post(
        body, {"x-slack-request-timestamp": stamp, "x-slack-signature": signature(SECRET, stamp, body)}
    )
    assert answer == Answer(401, {"error": "invalid or missing Slack signature"})


@settings(max_examples=50, deadline=None)
@given(stamp=st.text(alphabet="0123456789", min_size=13, max_size=8_000), signed=st.text(max_size=10_000))
def test_any_oversized_timestamp_or_signature_header_is_a_401(stamp: str, signed: str) -> None:
    answer = world().post(click_body(), {"x-slack-request-timestamp": stamp, "x-slack-signature": signed})
    assert answer.status == 401


def test_a_signed_payload_nested_thousands_deep_is_a_400_with_a_clear_body() -> None:
    answer = world().post(form(nested(5_000, "list")))  # 30 KB once form-encoded
    assert answer == Answer(400, {"error": "the payload: document is nested deeper than 32 levels"})


@settings(max_examples=40, deadline=None)
@given(depth=st.integers(min_value=33, max_value=20_000), wrap=st.sampled_from(["list", "dict"]))
def test_a_signed_click_with_a_deeply_nested_part_is_a_400(depth: int, wrap: str) -> None:
    body = form(_with_deep_message(depth, wrap))
    if len(body) > MAX_BODY_BYTES:
        assert world().post(body) == Answer(400, {"error": "request body too large"})
        return
    snapshot = world()
    answer = snapshot.post(body)
    assert answer.status == 400 and "nested deeper than 32 levels" in answer.body["error"]
    assert snapshot.registry.versions[ARN].status == "PendingManualApproval"  # nothing was decided


def _with_deep_message(depth: int, wrap: str) -> str:
    """A real click whose message carries a deeply nested part."""
    payload = parse_qs(click_body().decode())["payload"][0]
    return payload.replace('"message": {', '"message": {"deep": ' + nested(depth, wrap) + ", ", 1)
