"""Slack's request signature (v0): HMAC-SHA256 over ``v0:{timestamp}:{raw body}`` with the signing secret.

Pure: the caller hands in the clock's reading, so the 300 s window is tested without sleeping.
"""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.shared.errors import InvalidSignatureError
from chalicelib.shared.hmac_signature import hmac_signature, is_timestamp, same_signature

VERSION = "v0"
WINDOW_SECONDS = 300  # Slack's own replay window; older (or later) requests are refused
TIMESTAMP_HEADER = "x-slack-request-timestamp"
SIGNATURE_HEADER = "x-slack-signature"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac_signature(VERSION, secret, timestamp, body)


def verify(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> None:
    """Raise InvalidSignatureError unless Slack signed this body within the window. Headers: lowercase keys."""
    timestamp = headers.get(TIMESTAMP_HEADER)
    given = headers.get(SIGNATURE_HEADER)
    if not timestamp or not given:
        raise InvalidSignatureError("missing signature headers")
    if not is_timestamp(timestamp):
        raise InvalidSignatureError("timestamp is not a number")
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        raise InvalidSignatureError("timestamp outside the 300 s window (stale, replayed or from the future)")
    if not same_signature(signature(secret, timestamp, body), given):
        raise InvalidSignatureError("signature does not match")
