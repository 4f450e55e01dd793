"""Slack's v0 signature, checked against slack_sdk's own signer (the reference implementation)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.signature import SignatureVerifier

from chalicelib.shared.errors import InvalidSignatureError
from chalicelib.slack.signature import signature, verify
from tests.fakes.slack import SECRET

NOW = 1_700_000_000
BODY = b"payload=%7B%22type%22%3A%22block_actions%22%7D"


def slack_headers(body: bytes, timestamp: int = NOW, secret: str = SECRET) -> dict[str, str]:
    signed = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    assert signed is not None
    return {"x-slack-request-timestamp": str(timestamp), "x-slack-signature": signed}


def test_accepts_a_body_signed_by_slack_sdk() -> None:
    verify(SECRET, slack_headers(BODY), BODY, now=NOW + 10)


def test_matches_slacks_documented_example() -> None:
    # api.slack.com "Verifying requests from Slack": this secret, timestamp and body give this signature.
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert signature(SECRET, "1531420618", body) == expected


def test_rejects_a_tampered_body() -> None:
    with pytest.raises(InvalidSignatureError, match="does not match"):
        verify(SECRET, slack_headers(BODY), BODY + b"x", now=NOW)


def test_rejects_a_body_signed_with_another_secret() -> None:
    with pytest.raises(InvalidSignatureError, match="does not match"):
        verify(SECRET, slack_headers(BODY, secret="not-the-secret"), BODY, now=NOW)


@pytest.mark.parametrize("missing", ["x-slack-request-timestamp", "x-slack-signature"])
def test_rejects_a_request_missing_a_header(missing: str) -> None:
    headers = slack_headers(BODY)
    del headers[missing]
    with pytest.raises(InvalidSignatureError, match="missing"):
        verify(SECRET, headers, BODY, now=NOW)


@pytest.mark.parametrize("stamp", ["soon", "1.7e9", "-1700000000", " 1700000000", "١٧٠٠٠٠٠٠٠٠"])
def test_rejects_a_non_numeric_timestamp(stamp: str) -> None:
    headers = dict(slack_headers(BODY), **{"x-slack-request-timestamp": stamp})
    with pytest.raises(InvalidSignatureError, match="not a number"):
        verify(SECRET, headers, BODY, now=NOW)


@pytest.mark.parametrize(("age", "accepted"), [(300, True), (301, False), (-300, True), (-301, False)])
def test_accepts_only_timestamps_within_300_seconds(age: int, accepted: bool) -> None:
    headers = slack_headers(BODY, timestamp=NOW - age)  # negative age: from the future
    if accepted:
        verify(SECRET, headers, BODY, now=NOW)
    else:
        with pytest.raises(InvalidSignatureError, match="window"):
            verify(SECRET, headers, BODY, now=NOW)


def test_rejects_a_replay_of_a_valid_request_after_the_window() -> None:
    headers = slack_headers(BODY)
    verify(SECRET, headers, BODY, now=NOW)
    with pytest.raises(InvalidSignatureError):
        verify(SECRET, headers, BODY, now=NOW + 3600)


def test_rejects_a_non_ascii_signature_without_crashing() -> None:
    headers = dict(slack_headers(BODY), **{"x-slack-signature": "v0=é"})
    with pytest.raises(InvalidSignatureError):
        verify(SECRET, headers, BODY, now=NOW)


# Slack signing secrets are hex; slack_sdk refuses blank ones, so draw visible ASCII.
VISIBLE_ASCII = st.characters(min_codepoint=33, max_codepoint=126)


@given(body=st.binary(max_size=512), secret=st.text(VISIBLE_ASCII, min_size=1, max_size=40))
def test_agrees_with_slack_sdk_on_any_body(body: bytes, secret: str) -> None:
    try:
        body.decode("utf-8")  # slack_sdk signs text; Slack bodies are form-encoded ASCII
    except UnicodeDecodeError:
        return
    assert signature(secret, str(NOW), body) == SignatureVerifier(secret).generate_signature(
        timestamp=str(NOW), body=body
    )


@given(body=st.binary(min_size=1, max_size=256), position=st.integers(min_value=0), flip=st.integers(1, 255))
def test_any_changed_byte_is_refused(body: bytes, position: int, flip: int) -> None:
    headers = {"x-slack-request-timestamp": str(NOW), "x-slack-signature": signature(SECRET, str(NOW), body)}
    index = position % len(body)
    changed = body[:index] + bytes([body[index] ^ flip]) + body[index + 1 :]
    with pytest.raises(InvalidSignatureError):
        verify(SECRET, headers, changed, now=NOW)
