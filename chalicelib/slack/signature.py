"""Slack's request signature (v0): HMAC-SHA256 over ``v0:{timestamp}:{raw body}`` with the signing secret.

Pure: the caller hands in the clock's reading, so the 300 s window is tested without sleeping.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from chalicelib.shared.errors import InvalidSignatureError

VERSION = "v0"
WINDOW_SECONDS = 300  # Slack's own replay window; older (or later) requests are refused
TIMESTAMP_HEADER = "x-slack-request-timestamp"
SIGNATURE_HEADER = "x-slack-signature"
# Seconds since 1970 have ten digits until the year 2286: a longer "timestamp" is not one, and would
# overflow the float comparison (or Python's 4,300-digit int limit) instead of being refused.
MAX_TIMESTAMP_DIGITS = 12


def signature(secret: str, timestamp: str, body: bytes) -> str:
    base = f"{VERSION}:{timestamp}:".encode() + body
    return f"{VERSION}=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def verify(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> None:
    """Raise InvalidSignatureError unless Slack signed this body within the window. Headers: lowercase keys."""
    timestamp = headers.get(TIMESTAMP_HEADER)
    given = headers.get(SIGNATURE_HEADER)
    if not timestamp or not given:
        raise InvalidSignatureError("missing signature headers")
    if len(timestamp) > MAX_TIMESTAMP_DIGITS or not timestamp.isascii() or not timestamp.isdigit():
        raise InvalidSignatureError("timestamp is not a number")
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        raise InvalidSignatureError("timestamp outside the 300 s window (stale, replayed or from the future)")
    # compare_digest on bytes: constant time, and no error on non-ASCII input an attacker might send.
    if not hmac.compare_digest(signature(secret, timestamp, body).encode(), given.encode("utf-8", "replace")):
        raise InvalidSignatureError("signature does not match")
